using System.Text;
using CompassCi.Silo.Logging;
using CompassCi.Tests.Integration.Infrastructure;

namespace CompassCi.Tests.Integration.Hosting;

/// <summary>The silo's console writer (no database): whole lines, in order, on their stream, in few writes, none held back.</summary>
public sealed class ConsoleBatchWriterTests
{
    [Fact]
    public void Lines_arrive_whole_in_order_each_on_its_stream_and_disposing_writes_the_rest()
    {
        var (output, error) = (new CountingStream(), new CountingStream());
        using (var writer = new ConsoleBatchWriter(output, error))
        {
            for (var i = 0; i < 3000; i++)
            {
                writer.Append(new StringBuilder($"line {i} ünïcode\n"), toError: i % 1000 == 999);
            }
        }

        var expectedOut = string.Concat(Enumerable.Range(0, 3000).Where(i => i % 1000 != 999).Select(i => $"line {i} ünïcode\n"));
        Assert.Equal(expectedOut, output.Text());
        Assert.Equal("line 999 ünïcode\nline 1999 ünïcode\nline 2999 ünïcode\n", error.Text());
    }

    [Fact]
    public void A_line_after_the_end_is_written_at_once_not_lost()
    {
        var output = new CountingStream();
        var writer = new ConsoleBatchWriter(output, new CountingStream());
        writer.Append(new StringBuilder("before the end\n"), toError: false);
        writer.Dispose();

        writer.Append(new StringBuilder("after the end\n"), toError: false, urgent: true);
        writer.Dispose();

        Assert.Equal("before the end\nafter the end\n", output.Text());
    }

    [Fact]
    public void A_burst_of_lines_costs_a_few_writes_not_one_each()
    {
        var output = new CountingStream();
        using (var writer = new ConsoleBatchWriter(output, new CountingStream()))
        {
            for (var i = 0; i < 5000; i++)
            {
                writer.Append(new StringBuilder($"hand-out {i}\n"), toError: false);
            }
        }

        Assert.Equal(5000, output.Text().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        // The first line may go out alone (the writer was idle), the rest in batches of a period or 32 KiB each.
        Assert.True(output.Writes < 100, $"{output.Writes} writes for 5,000 lines");
    }

    [Fact]
    public async Task A_line_on_a_quiet_console_is_written_without_waiting_for_more_or_for_the_end()
    {
        var output = new CountingStream();
        using var writer = new ConsoleBatchWriter(output, new CountingStream());

        writer.Append(new StringBuilder("the only line\n"), toError: false);

        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(output.Text() == "the only line\n"), TimeSpan.FromSeconds(5)), $"written: '{output.Text()}'");
        writer.Append(new StringBuilder("and one later\n"), toError: false);
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(output.Text().EndsWith("and one later\n", StringComparison.Ordinal)), TimeSpan.FromSeconds(5)), $"written: '{output.Text()}'");
    }

    /// <summary>A stream that keeps what is written and counts the writes; read from the test's thread while the writer's writes.</summary>
    private sealed class CountingStream : MemoryStream
    {
        private readonly Lock _gate = new();

        public int Writes { get; private set; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (_gate)
            {
                Writes++;
                base.Write(buffer, offset, count);
            }
        }

        public string Text()
        {
            lock (_gate)
            {
                return Encoding.UTF8.GetString(GetBuffer(), 0, (int)Length);
            }
        }
    }
}
