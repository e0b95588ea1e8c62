/*
 * precreate-ecp.c -- a minifilter's IRP_MJ_CREATE pre-operation callback that
 *   (a) looks for the filter's own ECP on the create, refuses to trust it when
 *       it came from user mode, and acknowledges it when honoured, and
 *   (b) attaches an ECP for the file systems below: insert into the existing
 *       list, or build a list and set it into the callback data (freeing the
 *       list only if the set fails -- after a successful set the I/O manager
 *       owns it).
 * ECP Lens reports nothing in this file.
 */
#include <fltKernel.h>

#define CONTOSO_TAG_FLAG_SKIP_SCAN  0x00000001

static const GUID GUID_ECP_CONTOSO_TAG =      /* set by our user-mode-aware service, via our own creates */
    { 0x5c1e8a3f, 0x2b7d, 0x4e61, { 0x9a, 0x04, 0x7f, 0x3c, 0x11, 0xd2, 0x88, 0x6b } };
static const GUID GUID_ECP_CONTOSO_ORIGIN =   /* attached here for lower filters */
    { 0x9f2d47c1, 0x5e08, 0x4b3a, { 0x86, 0x7d, 0x21, 0xfa, 0x0c, 0x93, 0x5b, 0xe6 } };

typedef struct _CONTOSO_TAG_ECP {
    ULONG Version;
    ULONG Flags;
} CONTOSO_TAG_ECP, *PCONTOSO_TAG_ECP;

typedef struct _CONTOSO_ORIGIN_ECP {
    HANDLE ProcessId;
    ULONG Sequence;
} CONTOSO_ORIGIN_ECP, *PCONTOSO_ORIGIN_ECP;

static volatile LONG gContosoSequence;

static BOOLEAN
ContosoShouldSkipScan(_In_ PFLT_FILTER Filter, _In_ PECP_LIST EcpList)
{
    PCONTOSO_TAG_ECP tagEcp = NULL;

    if (!NT_SUCCESS(FltFindExtraCreateParameter(Filter, EcpList, &GUID_ECP_CONTOSO_TAG,
                                                (PVOID *)&tagEcp, NULL))) {
        return FALSE;
    }
    if (FltIsEcpFromUserMode(Filter, tagEcp)) {
        return FALSE;                           /* anyone can send that from user mode */
    }
    if (!FlagOn(tagEcp->Flags, CONTOSO_TAG_FLAG_SKIP_SCAN)) {
        return FALSE;
    }
    FltAcknowledgeEcp(Filter, tagEcp);          /* tell the sender we honoured it */
    return TRUE;
}

static VOID
ContosoAttachOrigin(_In_ PFLT_FILTER Filter, _Inout_ PFLT_CALLBACK_DATA Data, _In_opt_ PECP_LIST EcpList)
{
    NTSTATUS status;
    PECP_LIST newList = NULL;
    PCONTOSO_ORIGIN_ECP originEcp = NULL;

    status = FltAllocateExtraCreateParameter(Filter, &GUID_ECP_CONTOSO_ORIGIN,
                                             sizeof(CONTOSO_ORIGIN_ECP), 0, NULL, 'pcEx',
                                             (PVOID *)&originEcp);
    if (!NT_SUCCESS(status)) {
        return;
    }
    originEcp->ProcessId = PsGetCurrentProcessId();
    originEcp->Sequence = (ULONG)InterlockedIncrement(&gContosoSequence);

    if (EcpList == NULL) {
        status = FltAllocateExtraCreateParameterList(Filter, 0, &newList);
        if (!NT_SUCCESS(status)) {
            FltFreeExtraCreateParameter(Filter, originEcp);
            return;
        }
        EcpList = newList;
    }

    status = FltInsertExtraCreateParameter(Filter, EcpList, originEcp);
    if (!NT_SUCCESS(status)) {                  /* e.g. an origin ECP is already there */
        FltFreeExtraCreateParameter(Filter, originEcp);
        if (newList != NULL) {
            FltFreeExtraCreateParameterList(Filter, newList);
        }
        return;
    }

    if (newList != NULL) {
        status = FltSetEcpListIntoCallbackData(Filter, Data, newList);
        if (!NT_SUCCESS(status)) {
            FltFreeExtraCreateParameterList(Filter, newList);   /* still ours */
        }
    }
}

FLT_PREOP_CALLBACK_STATUS FLTAPI
ContosoPreCreate(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    )
{
    NTSTATUS status;
    PECP_LIST ecpList = NULL;

    *CompletionContext = NULL;

    status = FltGetEcpListFromCallbackData(FltObjects->Filter, Data, &ecpList);
    if (!NT_SUCCESS(status)) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;   /* not an IRP-based create */
    }

    if (ecpList != NULL && ContosoShouldSkipScan(FltObjects->Filter, ecpList)) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }

    ContosoAttachOrigin(FltObjects->Filter, Data, ecpList);
    return FLT_PREOP_SUCCESS_WITH_CALLBACK;
}
