using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ProcessOptimizer.Solver.Ipopt;

/// <summary>
/// Rewrites one loaded library's own import of a function (its GOT entry), so that that library's calls go to
/// another function while every other caller in the process is unaffected.
/// </summary>
/// <remarks>
/// Linux on x64 only. The library is found among the loaded objects by a part of its file name; when it is not
/// loaded, does not import the symbol, or its entry cannot be made writable, nothing is written and the caller
/// is told so.
/// </remarks>
internal static unsafe partial class ImportTable
{
    private const uint DynamicSegment = 2, RelroSegment = 0x6474e552;
    private const long TagEnd = 0, TagStringTable = 5, TagSymbolTable = 6, TagRela = 7, TagRelaSize = 8, TagPltRelaSize = 2, TagJumpRela = 23;
    private const int ProtectRead = 1, ProtectWrite = 2;

    /// <summary>Whether this process is one whose import tables <see cref="Redirect"/> can read.</summary>
    public static bool Supported => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    /// <summary>
    /// <see cref="Redirect"/> once IPOPT's library, and with it the MUMPS it needs, is mapped: their import tables
    /// can be found only then. 0 when the library cannot be loaded, as when nothing is written.
    /// </summary>
    public static nint RedirectInSolver(string library, string symbol, nint target)
    {
        if (!Supported)
        {
            return 0;
        }

        try
        {
            NativeLibrary.Load(Interop.Library, typeof(ImportTable).Assembly, null);
            return Redirect(library, symbol, target);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return 0;
        }
    }

    /// <summary>Points the import of <paramref name="symbol"/> by the library whose file name contains <paramref name="library"/> at <paramref name="target"/>.</summary>
    /// <returns>What the entry held before (the function, or the lazy binder's stub), or 0 when nothing was written.</returns>
    public static nint Redirect(string library, string symbol, nint target)
    {
        if (!Supported)
        {
            return 0;
        }

        var search = new Search { Library = Utf8(library), Symbol = Utf8(symbol) };
        try
        {
            DlIteratePhdr(&Visit, &search);
        }
        finally
        {
            Marshal.FreeCoTaskMem((nint)search.Library);
            Marshal.FreeCoTaskMem((nint)search.Symbol);
        }

        if (search.Slot == null)
        {
            return 0;
        }

        var page = (nint)search.Slot & ~(nint)(Environment.SystemPageSize - 1);
        if (search.SlotIsReadOnly && MemoryProtect(page, (nuint)Environment.SystemPageSize, ProtectRead | ProtectWrite) != 0)
        {
            return 0;
        }

        var previous = Interlocked.Exchange(ref *search.Slot, target);
        if (search.SlotIsReadOnly)
        {
            _ = MemoryProtect(page, (nuint)Environment.SystemPageSize, ProtectRead);
        }

        return previous;
    }

    private static byte* Utf8(string text) => (byte*)Marshal.StringToCoTaskMemUTF8(text);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Visit(ObjectInfo* info, nuint size, void* data)
    {
        var search = (Search*)data;
        var name = info->Name == null ? default : MemoryMarshal.CreateReadOnlySpanFromNullTerminated(info->Name);
        var wanted = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(search->Library);
        if (name.IndexOf(wanted) < 0)
        {
            return 0;
        }

        var headers = new ReadOnlySpan<ProgramHeader>(info->Headers, info->HeaderCount);
        foreach (var header in headers)
        {
            if (header.Type == DynamicSegment)
            {
                search->Slot = FindSlot(info->Base, (Dynamic*)(info->Base + (nint)header.VirtualAddress), MemoryMarshal.CreateReadOnlySpanFromNullTerminated(search->Symbol));
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

    [LibraryImport("libc", EntryPoint = "mprotect")]
    private static partial int MemoryProtect(nint address, nuint length, int protection);

    private struct Search
    {
        public byte* Library;
        public byte* Symbol;
        public nint* Slot;
        public bool SlotIsReadOnly;
    }

    // The ELF64 and glibc layouts these are read from (link.h, elf.h).
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
}
