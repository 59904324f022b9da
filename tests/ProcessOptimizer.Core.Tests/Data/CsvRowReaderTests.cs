using ProcessOptimizer.Core.Data;

namespace ProcessOptimizer.Core.Tests.Data;

/// <summary>The streaming CSV reader behind <c>import-data</c> and <see cref="CsvTable.Read"/> (issue 19).</summary>
public class CsvRowReaderTests
{
    private static CsvRowReader Reader(string text) => new(new StringReader(text), "t.csv");

    [Fact]
    public void Fill_OneRowBatches_RefillsTheSameBufferInFileOrder()
    {
        var csv = Reader("a,timestamp,b\r\n1,2026-01-01T00:00:00Z,\r\n\r\n ,2026-01-01T00:01:00+01:00,4.5e1\r\n");
        var batch = csv.NewBatch(1);

        Assert.True(csv.Fill(batch));
        Assert.Equal(["a", "b"], csv.Columns);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), batch.Time(0));
        Assert.Equal([1.0, null], batch.Values(0).ToArray());
        Assert.True(csv.Fill(batch));
        Assert.Equal(1, batch.Count);
        Assert.Equal(new DateTimeOffset(2025, 12, 31, 23, 1, 0, TimeSpan.Zero), batch.Time(0));
        Assert.Equal(TimeSpan.Zero, batch.Time(0).Offset);
        Assert.Equal([null, 45.0], batch.Values(0).ToArray());
        Assert.False(csv.Fill(batch));
        Assert.Equal(0, batch.Count);
    }

    [Theory]
    [InlineData("timestamp,a\n2026-01-01T00:00:00Z,1\n\n2026-01-01T00:01:00Z,1,2\n", "t.csv: line 4: 3 fields, expected 2")]
    [InlineData("timestamp,a\n2026-01-01T00:00:00Z,1\n2026-13-01T00:01:00Z,1\n", "t.csv: line 3: '2026-13-01T00:01:00Z' is not a timestamp")]
    [InlineData("timestamp,a,b\n2026-01-01T00:00:00Z,1,2\n2026-01-01T00:01:00Z,1,2x\n", "t.csv: line 3: column 'b': '2x' is not a number")]
    [InlineData("timestamp,a\n2026-01-01T01:00:00+01:00,1\n2026-01-01T00:01:00Z,1\n2026-01-01T00:00:00Z,2\n", "t.csv: line 4: timestamp 2026-01-01T00:00:00Z repeats line 2")]
    [InlineData("timestamp,a\n2026-01-01T00:00:00.1234567Z,1\n2026-01-01T00:01:00Z,1\n2026-01-01T00:00:00.1234568Z,2\n", "t.csv: line 4: timestamp 2026-01-01T00:00:00.1234568Z repeats line 2 to the microsecond, 2026-01-01T00:00:00.123456Z, the precision times are kept to")]
    [InlineData("timestamp,a\n2025-12-31T23:59:59.9999999-05:00,1\n2026-01-01T04:59:59.999999Z,2\n", "t.csv: line 3: timestamp 2026-01-01T04:59:59.999999Z repeats line 2 to the microsecond, 2026-01-01T04:59:59.999999Z, the precision times are kept to")]
    [InlineData("time,a\n2026-01-01T00:00:00Z,1\n", "t.csv: line 1: no 'timestamp' column")]
    [InlineData("timestamp,a,b\n2026-01-01T00:00:00Z,1,2\n2026-01-01T00:01:00Z,1,-1e400\n", "t.csv: line 3: column 'b': '-1e400' is too large for a number")]
    [InlineData("timestamp,a,b\n2026-01-01T00:00:00Z,1,2\n2026-01-01T00:01:00Z,1,infinite\n", "t.csv: line 3: column 'b': 'infinite' is not a number")]
    [InlineData("timestamp,a,b\n2026-01-01T00:00:00Z,1,2\n2026-01-01T00:01:00Z,1,+-inf\n", "t.csv: line 3: column 'b': '+-inf' is not a number")]
    public void Read_BadInput_NamesTheLineAndWhatIsWrong(string text, string message)
    {
        var error = Assert.Throws<InputException>(() => CsvTable.Read(new StringReader(text), "t.csv"));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("nan")]
    [InlineData("-NaN")]
    [InlineData("inf")]
    [InlineData("-inf")]
    [InlineData("+INF")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    public void Fill_CellNamingNaNOrAnInfinity_IsMissingAndCounted(string cell)
    {
        var csv = Reader($"timestamp,a,b\n2026-01-01T00:00:00Z,1,2\n2026-01-01T00:01:00Z,3, {cell} \n");
        var batch = csv.NewBatch(4);

        Assert.True(csv.Fill(batch));

        Assert.Equal([3.0, null], batch.Values(1).ToArray());
        Assert.Equal(1, csv.NotFinite);
        Assert.Equal("line 3, column 'b'", csv.FirstNotFinite);
    }

    [Fact]
    public void Read_NotFiniteCellsAtTheFirstAMiddleAndTheLastRow_EachMissingAndTheFirstNamed()
    {
        var csv = Reader("timestamp,a,b\n2026-01-01T00:00:00Z,NaN,1\n2026-01-01T00:01:00Z,2,2\n2026-01-01T00:02:00Z,3,inf\n2026-01-01T00:03:00Z,4,4\n2026-01-01T00:04:00Z,-Infinity,5\n");
        var batch = csv.NewBatch(2);
        var rows = new List<double?[]>();

        while (csv.Fill(batch))
        {
            rows.AddRange(Enumerable.Range(0, batch.Count).Select(r => batch.Values(r).ToArray()));
        }

        Assert.Equal([[null, 1.0], [2.0, 2.0], [3.0, null], [4.0, 4.0], [null, 5.0]], rows);
        Assert.Equal(3, csv.NotFinite);
        Assert.Equal("line 2, column 'a'", csv.FirstNotFinite);
    }

    [Fact]
    public void Fill_OnlyFiniteCells_CountsNone()
    {
        var csv = Reader("timestamp,a\n2026-01-01T00:00:00Z,1e308\n2026-01-01T00:01:00Z,\n");

        Assert.True(csv.Fill(csv.NewBatch(4)));

        Assert.Equal(0, csv.NotFinite);
        Assert.Null(csv.FirstNotFinite);
    }

    [Theory]
    [InlineData("2026-01-01T00:00:00.1234567Z", "2026-01-01T00:00:00.1234560+00:00")]
    [InlineData("2026-01-01T00:00:00.123456Z", "2026-01-01T00:00:00.1234560+00:00")]
    [InlineData("2026-01-01T00:00:00.123Z", "2026-01-01T00:00:00.1230000+00:00")]
    [InlineData("2026-01-01T00:00:00Z", "2026-01-01T00:00:00.0000000+00:00")]
    [InlineData("2025-12-31T23:59:59.9999999Z", "2025-12-31T23:59:59.9999990+00:00")]
    [InlineData("2025-12-31T23:59:59.9999999-05:00", "2026-01-01T04:59:59.9999990+00:00")]
    [InlineData("1969-12-31T23:59:59.9999999Z", "1969-12-31T23:59:59.9999990+00:00")]
    public void Fill_TimeFinerThanAMicrosecond_CutToTheMicrosecondInUtc(string given, string kept)
    {
        var csv = Reader($"timestamp,a\n{given},1\n");
        var batch = csv.NewBatch(4);

        Assert.True(csv.Fill(batch));

        Assert.Equal(kept, batch.Time(0).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Batches_ThreeAndAHalfBatches_YieldsEveryRowOnce()
    {
        var text = "timestamp,a\n" + string.Concat(Enumerable.Range(0, 7).Select(i => $"2026-01-01T00:0{i}:00Z,{i}\n"));
        var seen = new List<double?>();

        foreach (var batch in Reader(text).Batches(2))
        {
            for (var r = 0; r < batch.Count; r++)
            {
                seen.Add(batch.Values(r)[0]);
            }
        }

        Assert.Equal([0, 1, 2, 3, 4, 5, 6], seen);
    }
}
