/*
 * bcryptprimitives.dll shim for Wine 8 (test tooling only, never shipped).
 *
 * Go 1.24 and later read random numbers through ProcessPrng in
 * bcryptprimitives.dll and refuse to start without it. Windows 10 and later
 * have it; Debian's Wine 8 does not. This DLL exports ProcessPrng on top of
 * RtlGenRandom (advapi32!SystemFunction036), which Wine does implement.
 * scripts/wine-prefix.sh builds it with mingw-w64 and installs it in the
 * Wine prefix with a native-first DLL override.
 */
#include <windows.h>

/* RtlGenRandom; declared here because its header name varies by SDK. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/* RtlGenRandom takes a ULONG length; feed it bounded slices. */
#define MAX_CHUNK 0x10000000UL

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG n = length > MAX_CHUNK ? MAX_CHUNK : (ULONG)length;
        if (!SystemFunction036(data, n)) {
            return FALSE;
        }
        data += n;
        length -= n;
    }
    return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)instance;
    (void)reason;
    (void)reserved;
    return TRUE;
}
