/*
 * lookaside.c -- a minifilter that attaches the same small ECP to many creates
 * keeps a non-paged ECP lookaside list: initialised in DriverEntry, used for
 * every allocation, deleted (with the same flags) on the DriverEntry failure
 * path and in the unload callback. Entries go back through
 * FltFreeExtraCreateParameter, which knows their lookaside.
 * ECP Lens reports nothing in this file.
 */
#include <fltKernel.h>

#define CONTOSO_ECP_TAG     'pcEx'

PFLT_FILTER gFilterHandle = NULL;
static NPAGED_LOOKASIDE_LIST gContosoEcpLookaside;      /* head must be non-paged: a global is */

static const GUID GUID_ECP_CONTOSO_TAG =
    { 0x5c1e8a3f, 0x2b7d, 0x4e61, { 0x9a, 0x04, 0x7f, 0x3c, 0x11, 0xd2, 0x88, 0x6b } };

typedef struct _CONTOSO_TAG_ECP {
    ULONG Version;
    ULONG Reason;
} CONTOSO_TAG_ECP, *PCONTOSO_TAG_ECP;

DRIVER_INITIALIZE DriverEntry;
NTSTATUS FLTAPI ContosoUnload(_In_ FLT_FILTER_UNLOAD_FLAGS Flags);

static const FLT_REGISTRATION ContosoRegistration = {
    sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, NULL, ContosoUnload
};

NTSTATUS
DriverEntry(_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath)
{
    NTSTATUS status;

    UNREFERENCED_PARAMETER(RegistryPath);

    status = FltRegisterFilter(DriverObject, &ContosoRegistration, &gFilterHandle);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    /* Size is the context size of one entry, not a count */
    FltInitExtraCreateParameterLookasideList(gFilterHandle, &gContosoEcpLookaside,
                                             FSRTL_ECP_LOOKASIDE_FLAG_NONPAGED_POOL,
                                             sizeof(CONTOSO_TAG_ECP), CONTOSO_ECP_TAG);

    status = FltStartFiltering(gFilterHandle);
    if (!NT_SUCCESS(status)) {
        FltDeleteExtraCreateParameterLookasideList(gFilterHandle, &gContosoEcpLookaside,
                                                   FSRTL_ECP_LOOKASIDE_FLAG_NONPAGED_POOL);
        FltUnregisterFilter(gFilterHandle);
    }
    return status;
}

NTSTATUS FLTAPI
ContosoUnload(_In_ FLT_FILTER_UNLOAD_FLAGS Flags)
{
    UNREFERENCED_PARAMETER(Flags);

    /* FltUnregisterFilter waits for the callbacks: after it no ECP from the lookaside is in use */
    FltUnregisterFilter(gFilterHandle);
    FltDeleteExtraCreateParameterLookasideList(gFilterHandle, &gContosoEcpLookaside,
                                               FSRTL_ECP_LOOKASIDE_FLAG_NONPAGED_POOL);
    return STATUS_SUCCESS;
}

_IRQL_requires_max_(APC_LEVEL)
NTSTATUS
ContosoAddTagFromLookaside(_Inout_ PECP_LIST EcpList, _In_ ULONG Reason)
{
    NTSTATUS status;
    PCONTOSO_TAG_ECP tagEcp = NULL;

    status = FltAllocateExtraCreateParameterFromLookasideList(gFilterHandle, &GUID_ECP_CONTOSO_TAG,
                                                              sizeof(CONTOSO_TAG_ECP),
                                                              FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL,
                                                              NULL, &gContosoEcpLookaside,
                                                              (PVOID *)&tagEcp);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    tagEcp->Version = 1;
    tagEcp->Reason = Reason;

    status = FltInsertExtraCreateParameter(gFilterHandle, EcpList, tagEcp);
    if (!NT_SUCCESS(status)) {
        FltFreeExtraCreateParameter(gFilterHandle, tagEcp);     /* back to the lookaside */
    }
    return status;
}
