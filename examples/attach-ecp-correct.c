/*
 * attach-ecp-correct.c -- a minifilter opens a file with FltCreateFileEx2 and
 * attaches its own Extra Create Parameter (a "tag" the filter recognises in
 * its own pre-create). The seven steps:
 *
 *   1. FltAllocateExtraCreateParameterList   -- an empty list
 *   2. FltAllocateExtraCreateParameter       -- one ECP context, filled in
 *   3. FltInsertExtraCreateParameter         -- the list now owns the context
 *   4. IoInitializeDriverCreateContext       -- a clean IO_DRIVER_CREATE_CONTEXT
 *   5. DriverContext.ExtraCreateParameter    -- point it at the list
 *   6. FltCreateFileEx2                      -- issue the create
 *   7. FltFreeExtraCreateParameterList       -- the caller frees list + contexts
 *
 * ECP Lens reports nothing in this file.
 */
#include <fltKernel.h>

#define CONTOSO_ECP_TAG         'pcEx'
#define CONTOSO_TAG_VERSION     1

extern PFLT_FILTER gFilterHandle;

/* {5C1E8A3F-2B7D-4E61-9A04-7F3C11D2886B} */
static const GUID GUID_ECP_CONTOSO_TAG =
    { 0x5c1e8a3f, 0x2b7d, 0x4e61, { 0x9a, 0x04, 0x7f, 0x3c, 0x11, 0xd2, 0x88, 0x6b } };

typedef struct _CONTOSO_TAG_ECP {
    ULONG Version;
    ULONG Reason;
    HANDLE RequestorProcessId;
} CONTOSO_TAG_ECP, *PCONTOSO_TAG_ECP;

_IRQL_requires_(PASSIVE_LEVEL)
NTSTATUS
ContosoOpenTagged(
    _In_ PFLT_INSTANCE Instance,
    _In_ PUNICODE_STRING FileName,
    _In_ ULONG Reason,
    _Out_ PHANDLE FileHandle
    )
{
    NTSTATUS status;
    PECP_LIST ecpList = NULL;
    PCONTOSO_TAG_ECP tagEcp = NULL;
    IO_DRIVER_CREATE_CONTEXT driverContext;
    OBJECT_ATTRIBUTES objectAttributes;
    IO_STATUS_BLOCK ioStatus;

    *FileHandle = NULL;

    /* 1. the list */
    status = FltAllocateExtraCreateParameterList(gFilterHandle, 0, &ecpList);
    if (!NT_SUCCESS(status)) {
        goto Cleanup;
    }

    /* 2. the context: allocators do not zero it, so set every field */
    status = FltAllocateExtraCreateParameter(gFilterHandle, &GUID_ECP_CONTOSO_TAG,
                                             sizeof(CONTOSO_TAG_ECP), 0, NULL,
                                             CONTOSO_ECP_TAG, (PVOID *)&tagEcp);
    if (!NT_SUCCESS(status)) {
        goto Cleanup;
    }
    tagEcp->Version = CONTOSO_TAG_VERSION;
    tagEcp->Reason = Reason;
    tagEcp->RequestorProcessId = PsGetCurrentProcessId();

    /* 3. hand the context to the list; on failure it is still ours */
    status = FltInsertExtraCreateParameter(gFilterHandle, ecpList, tagEcp);
    if (!NT_SUCCESS(status)) {
        goto Cleanup;
    }
    tagEcp = NULL;

    /* 4 + 5. the driver create context */
    IoInitializeDriverCreateContext(&driverContext);
    driverContext.ExtraCreateParameter = ecpList;

    /* 6. the create */
    InitializeObjectAttributes(&objectAttributes, FileName,
                               OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE, NULL, NULL);
    status = FltCreateFileEx2(gFilterHandle, Instance, FileHandle, NULL,
                              FILE_READ_ATTRIBUTES | SYNCHRONIZE, &objectAttributes, &ioStatus,
                              NULL, FILE_ATTRIBUTE_NORMAL,
                              FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                              FILE_OPEN, FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0,
                              IO_IGNORE_SHARE_ACCESS_CHECK, &driverContext);

Cleanup:
    /* 7. the list comes back unchanged; freeing it frees the tag too */
    if (tagEcp != NULL) {
        FltFreeExtraCreateParameter(gFilterHandle, tagEcp);
    }
    if (ecpList != NULL) {
        FltFreeExtraCreateParameterList(gFilterHandle, ecpList);
    }
    return status;
}
