/*
 * fsrtl-iocreatefileex.c -- the same attach sequence for code that is not a
 * minifilter (a legacy filter, a file system, any kernel component): FsRtl
 * list and ECP routines and IoCreateFileEx. Objects stay in the FsRtl family
 * from allocation to free.
 * ECP Lens reports nothing in this file.
 */
#include <ntifs.h>

#define CONTOSO_ECP_TAG     'pcEx'

static const GUID GUID_ECP_CONTOSO_TAG =
    { 0x5c1e8a3f, 0x2b7d, 0x4e61, { 0x9a, 0x04, 0x7f, 0x3c, 0x11, 0xd2, 0x88, 0x6b } };

typedef struct _CONTOSO_TAG_ECP {
    ULONG Version;
    ULONG Reason;
} CONTOSO_TAG_ECP, *PCONTOSO_TAG_ECP;

_IRQL_requires_(PASSIVE_LEVEL)
NTSTATUS
ContosoOpenTaggedLegacy(
    _In_ PUNICODE_STRING FileName,
    _In_ ULONG Reason,
    _Out_ PHANDLE FileHandle,
    _Out_ PBOOLEAN Acknowledged
    )
{
    NTSTATUS status;
    PECP_LIST ecpList = NULL;
    PCONTOSO_TAG_ECP tagEcp = NULL;
    IO_DRIVER_CREATE_CONTEXT driverContext;
    OBJECT_ATTRIBUTES objectAttributes;
    IO_STATUS_BLOCK ioStatus;

    *FileHandle = NULL;
    *Acknowledged = FALSE;

    status = FsRtlAllocateExtraCreateParameterList(0, &ecpList);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    status = FsRtlAllocateExtraCreateParameter(&GUID_ECP_CONTOSO_TAG, sizeof(CONTOSO_TAG_ECP),
                                               0, NULL, CONTOSO_ECP_TAG, (PVOID *)&tagEcp);
    if (!NT_SUCCESS(status)) {
        FsRtlFreeExtraCreateParameterList(ecpList);
        return status;
    }
    tagEcp->Version = 1;
    tagEcp->Reason = Reason;

    status = FsRtlInsertExtraCreateParameter(ecpList, tagEcp);
    if (!NT_SUCCESS(status)) {
        FsRtlFreeExtraCreateParameter(tagEcp);
        FsRtlFreeExtraCreateParameterList(ecpList);
        return status;
    }

    InitializeObjectAttributes(&objectAttributes, FileName,
                               OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE, NULL, NULL);
    IoInitializeDriverCreateContext(&driverContext);
    driverContext.ExtraCreateParameter = ecpList;

    status = IoCreateFileEx(FileHandle, FILE_READ_ATTRIBUTES | SYNCHRONIZE, &objectAttributes,
                            &ioStatus, NULL, FILE_ATTRIBUTE_NORMAL,
                            FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, FILE_OPEN,
                            FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0, CreateFileTypeNone, NULL,
                            IO_IGNORE_SHARE_ACCESS_CHECK, &driverContext);

    /* the list comes back with our ECP still in it: read the acknowledgement, then free */
    if (NT_SUCCESS(status)) {
        *Acknowledged = FsRtlIsEcpAcknowledged(tagEcp);
    }
    FsRtlFreeExtraCreateParameterList(ecpList);
    return status;
}
