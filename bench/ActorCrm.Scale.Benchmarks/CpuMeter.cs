using System.Diagnostics;
using System.Globalization;

namespace ActorCrm.Scale.Benchmarks;

/// <summary>What one phase cost: wall time, this client's CPU, the silo's CPU (when its PID is known)
/// and the 1/5/15-minute load average at the end of the phase.</summary>
public sealed record PhaseCost(double WallSeconds, double ClientCpuSeconds, double? SiloCpuSeconds, double[] LoadAverage);

/// <summary>
/// Reads CPU time so each phase can say who burned the cores: this process through
/// <see cref="Process.TotalProcessorTime"/>, the silo (another process, often started by bench/scale.sh)
/// through /proc/PID/stat (utime + stime, in clock ticks of 1/100 s).
/// </summary>
public sealed class CpuMeter(int? siloPid)
{
    private const double ClockTicksPerSecond = 100.0; // USER_HZ on Linux

    /// <summary>A point in time to measure a phase from.</summary>
    public readonly record struct Mark(long Timestamp, TimeSpan ClientCpu, double? SiloCpuSeconds);

    public Mark Now()
    {
        using var self = Process.GetCurrentProcess();
        return new Mark(Stopwatch.GetTimestamp(), self.TotalProcessorTime, SiloCpuSeconds());
    }

    public PhaseCost Since(Mark start)
    {
        Mark end = Now();
        return new PhaseCost(
            Math.Round(Stopwatch.GetElapsedTime(start.Timestamp, end.Timestamp).TotalSeconds, 3),
            Math.Round((end.ClientCpu - start.ClientCpu).TotalSeconds, 3),
            end.SiloCpuSeconds is double after && start.SiloCpuSeconds is double before ? Math.Round(after - before, 2) : null,
            LoadAverage());
    }

    /// <summary>utime + stime of the silo in seconds, or null without a PID (or once it has exited).</summary>
    private double? SiloCpuSeconds()
    {
        if (siloPid is not int pid)
        {
            return null;
        }

        try
        {
            // The process name (field 2) is in parentheses and may hold spaces: split after the last ')'.
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // fields[0] is field 3 (state), so field k is fields[k - 3]: utime = 14, stime = 15.
            long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return ticks / ClockTicksPerSecond;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static double[] LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ').Take(3)
                .Select(value => double.Parse(value, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (IOException)
        {
            return [];
        }
    }
}
