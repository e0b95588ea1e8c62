/*
 * attach-ecp-mistakes.c -- the attach sequence of attach-ecp-correct.c, six
 * times over, each with one mistake that is common in real drivers. Every
 * finding ECP Lens should report is marked on the line it anchors to with
 * "ECP Lens: <code>". Nothing else in this file should be reported.
 */
#include <fltKernel.h>

extern PFLT_FILTER gFilterHandle;

static const GUID GUID_ECP_CONTOSO_TAG =
    { 0x5c1e8a3f, 0x2b7d, 0x4e61, { 0x9a, 0x04, 0x7f, 0x3c, 0x11, 0xd2, 0x88, 0x6b } };

typedef struct _CONTOSO_TAG_ECP {
    ULONG Version;
    ULONG Reason;
} CONTOSO_TAG_ECP, *PCONTOSO_TAG_ECP;

/* Mistake 1: the error branch after the context allocation forgets the list. */
NTSTATUS
ContosoOpenLeaky(_In_ PFLT_INSTANCE Instance, _In_ POBJECT_ATTRIBUTES Oa, _Out_ PHANDLE FileHandle)
{
    NTSTATUS status;
    PECP_LIST ecpList = NULL;
    PCONTOSO_TAG_ECP tagEcp = NULL;
    IO_DRIVER_CREATE_CONTEXT driverContext;
    IO_STATUS_BLOCK ioStatus;

    status = FltAllocateExtraCreateParameterList(gFilterHandle, 0, &ecpList); // ECP Lens: ecp-list-leak — not freed when the context allocation fails
    if (!NT_SUCCESS(status)) {
        return status;
    }
    status = FltAllocateExtraCreateParameter(gFilterHandle, &GUID_ECP_CONTOSO_TAG,
                                             sizeof(CONTOSO_TAG_ECP), 0, NULL, 'pcEx',
                                             (PVOID *)&tagEcp);
    if (!NT_SUCCESS(status)) {
        DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, "contoso: tag allocation failed %s\n",
                   "<img src=x onerror=alert(1)>");
        return status;
    }
    tagEcp->Version = 1;
    tagEcp->Reason = 0;
    status = FltInsertExtraCreateParameter(gFilterHandle, ecpList, tagEcp);
    if (!NT_SUCCESS(status)) {
        FltFreeExtraCreateParameter(gFilterHandle, tagEcp);
        FltFreeExtraCreateParameterList(gFilterHandle, ecpList);
        return status;
    }
    IoInitializeDriverCreateContext(&driverContext);
    driverContext.ExtraCreateParameter = ecpList;
    status = FltCreateFileEx2(gFilterHandle, Instance, FileHandle, NULL, GENERIC_READ | SYNCHRONIZE,
                              Oa, &ioStatus, NULL, FILE_ATTRIBUTE_NORMAL, FILE_SHARE_READ,
                              FILE_OPEN, FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0, 0, &driverContext);
    FltFreeExtraCreateParameterList(gFilterHandle, ecpList);
    return status;
}

/* Mistake 2: the failure branch frees the list, then the common exit frees it again. */
NTSTATUS
ContosoOpenDoubleFree(_In_ PFLT_INSTANCE Instance, _In_ POBJECT_ATTRIBUTES Oa, _Out_ PHANDLE FileHandle)
{
    NTSTATUS status;
    PECP_LIST ecpList = NULL;
    PVOID tagEcp = NULL;
    IO_DRIVER_CREATE_CONTEXT driverContext;
    IO_STATUS_BLOCK ioStatus;

    status = FltAllocateExtraCreateParameterList(gFilterHandle, 0, &ecpList);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    status = FltAllocateExtraCreateParameter(gFilterHandle, &GUID_ECP_CONTOSO_TAG, sizeof(ULONG),
                                             0, NULL, 'pcEx', &tagEcp);
    if (!NT_SUCCESS(status)) {
        FltFreeExtraCreateParameterList(gFilterHandle, ecpList);
        return status;
    }
    *(PULONG)tagEcp = 2;
    status = FltInsertExtraCreateParameter(gFilterHandle, ecpList, tagEcp);
    if (!NT_SUCCESS(status)) {
        FltFreeExtraCreateParameter(gFilterHandle, tagEcp);
        FltFreeExtraCreateParameterList(gFilterHandle, ecpList);
        return status;
    }
    IoInitializeDriverCreateContext(&driverContext);
    driverContext.ExtraCreateParameter = ecpList;
    status = FltCreateFileEx2(gFilterHandle, Instance, FileHandle, NULL, GENERIC_READ | SYNCHRONIZE,
                              Oa, &ioStatus, NULL, FILE_ATTRIBUTE_NORMAL, FILE_SHARE_READ,
                              FILE_OPEN, FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0, 0, &driverContext);
    if (!NT_SUCCESS(status)) {
        FltFreeExtraCreateParameterList(gFilterHandle, ecpList);
    }
    FltFreeExtraCreateParameterList(gFilterHandle, ecpList); // ECP Lens: ecp-double-free — already freed when the create failed
    return status;
}

/* Mistake 3: the context is freed although the list owns it since the insert. */
NTSTATUS
ContosoOpenFreesInserted(_In_ PFLT_INSTANCE Instance, _In_ POBJECT_ATTRIBUTES Oa, _Out_ PHANDLE FileHandle)
{
    NTSTATUS status;
    PECP_LIST ecpList = NULL;
    PVOID tagEcp = NULL;
    IO_DRIVER_CREATE_CONTEXT driverContext;
    IO_STATUS_BLOCK ioStatus;

    status = FltAllocateExtraCreateParameterList(gFilterHandle, 0, &ecpList);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    status = FltAllocateExtraCreateParameter(gFilterHandle, &GUID_ECP_CONTOSO_TAG, sizeof(ULONG),
                                             0, NULL, 'pcEx', &tagEcp);
    if (!NT_SUCCESS(status)) {
        FltFreeExtraCreateParameterList(gFilterHandle, ecpList);
        return status;
    }
    *(PULONG)tagEcp = 3;
    status = FltInsertExtraCreateParameter(gFilterHandle, ecpList, tagEcp);
    if (!NT_SUCCESS(status)) {
        FltFreeExtraCreateParameter(gFilterHandle, tagEcp);
        FltFreeExtraCreateParameterList(gFilterHandle, ecpList);
        return status;
    }
    IoInitializeDriverCreateContext(&driverContext);
    driverContext.ExtraCreateParameter = ecpList;
    status = FltCreateFileEx2(gFilterHandle, Instance, FileHandle, NULL, GENERIC_READ | SYNCHRONIZE,
                              Oa, &ioStatus, NULL, FILE_ATTRIBUTE_NORMAL, FILE_SHARE_READ,
                              FILE_OPEN, FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0, 0, &driverContext);
    FltFreeExtraCreateParameter(gFilterHandle, tagEcp); // ECP Lens: ecp-free-inserted — the list still links this context; the list free below frees it
    FltFreeExtraCreateParameterList(gFilterHandle, ecpList);
    return status;
}

/* Mistake 4: an ECP flag passed to the list allocator. */
_IRQL_requires_max_(APC_LEVEL)
NTSTATUS
ContosoBuildTagList(_Outptr_ PECP_LIST *EcpList)
{
    NTSTATUS status;
    PECP_LIST ecpList = NULL;
    PVOID tagEcp = NULL;

    *EcpList = NULL;
    status = FltAllocateExtraCreateParameterList(gFilterHandle, FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL, &ecpList); // ECP Lens: ecp-flag-family — 0x2 is an ECP flag; lists accept only FSRTL_ALLOCATE_ECPLIST_FLAG_CHARGE_QUOTA
    if (!NT_SUCCESS(status)) {
        return status;
    }
    status = FltAllocateExtraCreateParameter(gFilterHandle, &GUID_ECP_CONTOSO_TAG, sizeof(ULONG),
                                             FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL, NULL, 'pcEx',
                                             &tagEcp);
    if (!NT_SUCCESS(status)) {
        FltFreeExtraCreateParameterList(gFilterHandle, ecpList);
        return status;
    }
    *(PULONG)tagEcp = 4;
    status = FltInsertExtraCreateParameter(gFilterHandle, ecpList, tagEcp);
    if (!NT_SUCCESS(status)) {
        FltFreeExtraCreateParameter(gFilterHandle, tagEcp);
        FltFreeExtraCreateParameterList(gFilterHandle, ecpList);
        return status;
    }
    *EcpList = ecpList;
    return STATUS_SUCCESS;
}

/* Mistake 5: the list reaches the create with nothing in it. */
NTSTATUS
ContosoOpenEmptyList(_In_ PFLT_INSTANCE Instance, _In_ POBJECT_ATTRIBUTES Oa, _Out_ PHANDLE FileHandle)
{
    NTSTATUS status;
    PECP_LIST ecpList = NULL;
    IO_DRIVER_CREATE_CONTEXT driverContext;
    IO_STATUS_BLOCK ioStatus;

    status = FltAllocateExtraCreateParameterList(gFilterHandle, 0, &ecpList);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    IoInitializeDriverCreateContext(&driverContext);
    driverContext.ExtraCreateParameter = ecpList;
    status = FltCreateFileEx2(gFilterHandle, Instance, FileHandle, NULL, GENERIC_READ | SYNCHRONIZE, // ECP Lens: ecp-empty-list — an empty list bug-checks 0x10C, parameter 1 = 0x15
                              Oa, &ioStatus, NULL, FILE_ATTRIBUTE_NORMAL, FILE_SHARE_READ,
                              FILE_OPEN, FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0, 0, &driverContext);
    FltFreeExtraCreateParameterList(gFilterHandle, ecpList);
    return status;
}

/* Mistake 6: the context is written before the allocation status is tested. */
_IRQL_requires_max_(APC_LEVEL)
NTSTATUS
ContosoAddTagEcp(_Inout_ PECP_LIST EcpList, _In_ ULONG Reason)
{
    NTSTATUS status;
    PCONTOSO_TAG_ECP tagEcp = NULL;

    status = FltAllocateExtraCreateParameter(gFilterHandle, &GUID_ECP_CONTOSO_TAG,
                                             sizeof(CONTOSO_TAG_ECP), 0, NULL, 'pcEx',
                                             (PVOID *)&tagEcp);
    tagEcp->Version = 1; // ECP Lens: ecp-unchecked-status — tagEcp is NULL when the allocation failed
    tagEcp->Reason = Reason;
    if (!NT_SUCCESS(status)) {
        return status;
    }
    status = FltInsertExtraCreateParameter(gFilterHandle, EcpList, tagEcp);
    if (!NT_SUCCESS(status)) {
        FltFreeExtraCreateParameter(gFilterHandle, tagEcp);
    }
    return status;
}
