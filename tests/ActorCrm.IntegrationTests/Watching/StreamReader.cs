using Grpc.Core;

namespace ActorCrm.IntegrationTests.Watching;

/// <summary>Reads a server stream in the background so a test can wait for the message it expects, with a deadline.</summary>
public sealed class StreamReader<T> : IAsyncDisposable where T : class
{
    private readonly AsyncServerStreamingCall<T> _call;
    private readonly System.Threading.Channels.Channel<T> _received = System.Threading.Channels.Channel.CreateUnbounded<T>();
    private readonly Task _pump;

    public StreamReader(AsyncServerStreamingCall<T> call)
    {
        _call = call;
        _pump = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in call.ResponseStream.ReadAllAsync()) await _received.Writer.WriteAsync(message);
                _received.Writer.Complete();
            }
            catch (Exception error)
            {
                _received.Writer.Complete(error);
            }
        });
    }

    /// <summary>Every message received so far, in order.</summary>
    public List<T> All { get; } = [];

    /// <summary>The next message; fails if none comes within the timeout (default 1 s: the promise to dashboards).</summary>
    public async Task<T> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(1));
        try
        {
            var message = await _received.Reader.ReadAsync(cts.Token);
            All.Add(message);
            return message;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"no message within {(timeout ?? TimeSpan.FromSeconds(1)).TotalMilliseconds} ms");
        }
    }

    /// <summary>Reads until a message satisfies the condition (messages may be coalesced, so intermediate states can be skipped).</summary>
    public async Task<T> NextWhereAsync(Func<T, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(1));
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException("the expected message did not arrive in time");
            var message = await NextAsync(left);
            if (condition(message)) return message;
        }
    }

    /// <summary>True if no message arrives within the window.</summary>
    public async Task<bool> QuietForAsync(TimeSpan window)
    {
        try
        {
            await NextAsync(window);
            return false;
        }
        catch (TimeoutException)
        {
            return true;
        }
    }

    /// <summary>Whether the server ended the stream (reads all remaining messages).</summary>
    public async Task<bool> EndsAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await _received.Reader.WaitToReadAsync(cts.Token))
                All.Add(await _received.Reader.ReadAsync(cts.Token));
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _call.Dispose(); // cancels the call
        try
        {
            await _pump;
        }
        catch (Exception)
        {
            // the pump ends with the cancellation
        }
    }
}
