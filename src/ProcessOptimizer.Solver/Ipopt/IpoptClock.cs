using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ProcessOptimizer.Solver.Ipopt;

/// <summary>
/// Points IPOPT's import of <c>getrusage</c> at the monotonic clock, so that IPOPT's internal timing costs
/// nanoseconds instead of system calls.
/// </summary>
/// <remarks>
/// IPOPT 3.11 times every internal task with <c>getrusage(RUSAGE_SELF)</c>, about a hundred calls per
/// iteration. For a whole process the kernel sums the CPU time of every thread under a lock, and a .NET
/// process has dozens of threads: in a kiln cycle these calls were about 15 % of all CPU samples (perf).
/// The calling thread's CPU clock was tried next and is still a system call (the vDSO does not answer it),
/// about 17 % of the samples. <c>CLOCK_MONOTONIC</c> is answered in user space. What changes for the
/// operator: IPOPT's timing statistics and its <c>max_cpu_time</c> limit measure the solve's elapsed time,
/// which on the one thread that runs a solve is its CPU time plus any time the machine took it away; for a
/// limit meant to protect a cycle's deadline, that is the better measure anyway. The import is redirected
/// by rewriting libipopt's own GOT entry, so nothing else in the process is affected. When anything about
/// the library does not look as expected the import is left alone: solves are then only slower.
/// </remarks>
internal static unsafe partial class IpoptClock
{
    private const uint DynamicSegment = 2, RelroSegment = 0x6474e552;
    private const long TagEnd = 0, TagStringTable = 5, TagSymbolTable = 6, TagRela = 7, TagRelaSize = 8, TagPltRelaSize = 2, TagJumpRela = 23;
    private const int ProtectRead = 1, ProtectWrite = 2;
    private const int MonotonicClock = 1;

    private static readonly Lock Gate = new();
    private static bool? _installed;

    /// <summary>Whether IPOPT reads the monotonic clock; redirects its import on the first call.</summary>
    public static bool Install()
    {
        lock (Gate)
        {
            return _installed ??= OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64 && TryInstall();
        }
    }

    private static bool TryInstall()
    {
        try
        {
            // The library must be mapped before its import table can be found.
            NativeLibrary.Load(Interop.Library, typeof(IpoptClock).Assembly, null);
            var search = new Search();
            DlIteratePhdr(&Visit, &search);
            if (search.Slot == null)
            {
                return false;
            }

            var page = (nint)search.Slot & ~(nint)(Environment.SystemPageSize - 1);
            if (search.SlotIsReadOnly && MemoryProtect(page, (nuint)Environment.SystemPageSize, ProtectRead | ProtectWrite) != 0)
            {
                return false;
            }

            Volatile.Write(ref *search.Slot, (nint)(delegate* unmanaged[Cdecl]<int, Usage*, int>)&GetResourceUsage);
            if (search.SlotIsReadOnly)
            {
                _ = MemoryProtect(page, (nuint)Environment.SystemPageSize, ProtectRead);
            }

            return true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int GetResourceUsage(int who, Usage* usage)
    {
        TimeSpec now;
        if (ClockGetTime(MonotonicClock, &now) != 0)
        {
            return -1;
        }

        *usage = default;
        usage->UserSeconds = now.Seconds;
        usage->UserMicroseconds = now.Nanoseconds / 1000;
        return 0;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Visit(ObjectInfo* info, nuint size, void* data)
    {
        var name = Marshal.PtrToStringUTF8((nint)info->Name);
        if (name is null || !name.Contains(Interop.Library, StringComparison.Ordinal))
        {
            return 0;
        }

        var search = (Search*)data;
        var headers = new ReadOnlySpan<ProgramHeader>(info->Headers, info->HeaderCount);
        foreach (var header in headers)
        {
            if (header.Type == DynamicSegment)
            {
                search->Slot = FindSlot(info->Base, (Dynamic*)(info->Base + (nint)header.VirtualAddress), "getrusage"u8);
            }
        }

        foreach (var header in headers)
        {
            var start = info->Base + (nint)header.VirtualAddress;
            if (header.Type == RelroSegment && search->Slot != null && (nint)search->Slot >= start && (nint)search->Slot < start + (nint)header.MemorySize)
            {
                search->SlotIsReadOnly = true;
            }
        }

        return 1;
    }

    // Looks through both relocation tables: lazy calls go through the PLT's jump slots, calls built with
    // -fno-plt through ordinary GOT entries.
    private static nint* FindSlot(nint baseAddress, Dynamic* dynamic, ReadOnlySpan<byte> symbol)
    {
        nint strings = 0, symbols = 0, rela = 0, jumpRela = 0;
        long relaSize = 0, jumpRelaSize = 0;
        for (var entry = dynamic; entry->Tag != TagEnd; entry++)
        {
            // glibc rewrites these addresses in place when it loads the library; an unrewritten one is an offset.
            var address = (nint)entry->Value < baseAddress ? baseAddress + (nint)entry->Value : (nint)entry->Value;
            switch (entry->Tag)
            {
                case TagStringTable: strings = address; break;
                case TagSymbolTable: symbols = address; break;
                case TagRela: rela = address; break;
                case TagRelaSize: relaSize = (long)entry->Value; break;
                case TagJumpRela: jumpRela = address; break;
                case TagPltRelaSize: jumpRelaSize = (long)entry->Value; break;
            }
        }

        if (strings == 0 || symbols == 0)
        {
            return null;
        }

        foreach (var (table, bytes) in new[] { (jumpRela, jumpRelaSize), (rela, relaSize) })
        {
            for (var r = (Relocation*)table; table != 0 && (byte*)r < (byte*)table + bytes; r++)
            {
                var index = (int)(r->Info >> 32);
                if (index == 0)
                {
                    continue;
                }

                var name = MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)strings + ((Symbol*)symbols)[index].Name);
                if (name.SequenceEqual(symbol))
                {
                    return (nint*)(baseAddress + (nint)r->Offset);
                }
            }
        }

        return null;
    }

    [LibraryImport("libc", EntryPoint = "dl_iterate_phdr")]
    private static partial int DlIteratePhdr(delegate* unmanaged[Cdecl]<ObjectInfo*, nuint, void*, int> callback, void* data);

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    [SuppressGCTransition]
    private static partial int ClockGetTime(int clock, TimeSpec* time);

    [LibraryImport("libc", EntryPoint = "mprotect")]
    private static partial int MemoryProtect(nint address, nuint length, int protection);

    private struct Search
    {
        public nint* Slot;
        public bool SlotIsReadOnly;
    }

    // The ELF64 and glibc layouts these are read from (link.h, elf.h, sys/resource.h).
    [StructLayout(LayoutKind.Sequential)]
    private struct ObjectInfo
    {
        public nint Base;
        public byte* Name;
        public ProgramHeader* Headers;
        public ushort HeaderCount;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ProgramHeader
    {
        public uint Type;
        public uint Flags;
        public ulong Offset;
        public ulong VirtualAddress;
        public ulong PhysicalAddress;
        public ulong FileSize;
        public ulong MemorySize;
        public ulong Align;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Dynamic
    {
        public long Tag;
        public ulong Value;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Relocation
    {
        public ulong Offset;
        public ulong Info;
        public long Addend;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Symbol
    {
        public uint Name;
        public byte Info;
        public byte Other;
        public ushort Section;
        public ulong Value;
        public ulong Size;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    // struct rusage: two timevals, then fourteen longs.
    [StructLayout(LayoutKind.Sequential, Size = 144)]
    private struct Usage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
    }
}
