using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>Issue 15: the framing of the worker channel, which both sides read and write with blocking calls.</summary>
public sealed class WorkerProtocolTests
{
    [Fact]
    public void Write_ReadOnTheOtherSide_SameMessage()
    {
        using var channel = new MemoryStream();
        WorkerProtocol.Write(channel, new SolveReply(WorkerProtocol.Version, null, "no such version", ["models/a.onnx", "b"]));
        channel.Position = 0;

        var reply = WorkerProtocol.Read<SolveReply>(channel);

        Assert.NotNull(reply);
        Assert.Equal("no such version", reply.LoadError);
        Assert.Equal(["models/a.onnx", "b"], reply.Missing);
    }

    [Fact]
    public void Read_WhatWriteSent_ThenNullAtTheEnd()
    {
        using var channel = new MemoryStream();
        WorkerProtocol.Write(channel, new WorkerSetup(WorkerProtocol.Version, "{\"a\":1}"));
        channel.Position = 0;

        Assert.Equal("{\"a\":1}", WorkerProtocol.Read<WorkerSetup>(channel)?.StorageJson);
        Assert.Null(WorkerProtocol.Read<WorkerSetup>(channel));
    }

    [Fact]
    public void Read_ChannelClosedInsideAFrame_Throws()
    {
        using var whole = new MemoryStream();
        WorkerProtocol.Write(whole, new WorkerSetup(WorkerProtocol.Version, "{}"));
        var bytes = whole.ToArray();

        Assert.Throws<EndOfStreamException>(() => WorkerProtocol.Read<WorkerSetup>(new MemoryStream(bytes[..2])));
        Assert.Throws<EndOfStreamException>(() => WorkerProtocol.Read<WorkerSetup>(new MemoryStream(bytes[..^1])));
    }

    [Fact]
    public void Read_AnotherProtocolVersion_IsRefused()
    {
        using var channel = new MemoryStream();
        WorkerProtocol.Write(channel, new WorkerSetup(WorkerProtocol.Version - 1, "{}"));
        channel.Position = 0;

        var refused = Assert.Throws<InvalidDataException>(() => WorkerProtocol.Read<WorkerSetup>(channel));
        Assert.Contains($"protocol {WorkerProtocol.Version - 1}", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    [InlineData(5)]
    public void Read_ThroughTheReader_FramesReadAheadOrInPieces_EachWholeInTurnThenNull(int bytesPerRead)
    {
        // A frame larger than the reader's buffer, between two small ones: the first read takes the next frame's
        // start with it, which must be left for the next message, not lost or read twice.
        using var whole = new MemoryStream();
        var large = new string('x', 200_000);
        WorkerProtocol.Write(whole, new WorkerSetup(WorkerProtocol.Version, "first"));
        WorkerProtocol.Write(whole, new WorkerSetup(WorkerProtocol.Version, large));
        WorkerProtocol.Write(whole, new WorkerSetup(WorkerProtocol.Version, "third"));
        using var reader = WorkerProtocol.Reader(new Trickle(whole.ToArray(), bytesPerRead));

        Assert.Equal("first", WorkerProtocol.Read<WorkerSetup>(reader)?.StorageJson);
        Assert.Equal(large, WorkerProtocol.Read<WorkerSetup>(reader)?.StorageJson);
        Assert.Equal("third", WorkerProtocol.Read<WorkerSetup>(reader)?.StorageJson);
        Assert.Null(WorkerProtocol.Read<WorkerSetup>(reader));
    }

    [Fact]
    public void Read_ThroughTheReader_ChannelClosedInsideAFrame_Throws()
    {
        using var whole = new MemoryStream();
        WorkerProtocol.Write(whole, new WorkerSetup(WorkerProtocol.Version, "{}"));
        var bytes = whole.ToArray();

        Assert.Throws<EndOfStreamException>(() => WorkerProtocol.Read<WorkerSetup>(WorkerProtocol.Reader(new MemoryStream(bytes[..2]))));
        Assert.Throws<EndOfStreamException>(() => WorkerProtocol.Read<WorkerSetup>(WorkerProtocol.Reader(new MemoryStream(bytes[..^1]))));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void Read_FrameLengthOutOfRange_IsRefused(int length)
    {
        var header = BitConverter.GetBytes(length);

        Assert.Throws<InvalidDataException>(() => WorkerProtocol.Read<WorkerSetup>(new MemoryStream(header)));
    }

    // A socket hands out what has arrived: here at most a few bytes per read.
    private sealed class Trickle(byte[] bytes, int bytesPerRead) : MemoryStream(bytes)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, bytesPerRead)]);

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, bytesPerRead));
    }
}
