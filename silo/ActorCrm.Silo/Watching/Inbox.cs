using System.Threading.Channels;

namespace ActorCrm.Silo.Watching;

/// <summary>
/// One stream's inbox. It holds only the latest value: a slow or stalled reader gets the newest state
/// when it is ready, its memory never grows, and the sender never waits.
/// </summary>
public sealed class Inbox<T>
{
    private readonly Channel<T> _channel = Channel.CreateBounded<T>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    public ChannelReader<T> Reader => _channel.Reader;

    public void Offer(T value) => _channel.Writer.TryWrite(value);
}

/// <summary>A stream's subscription to a feed; disposing it (when the stream ends or is cancelled) unsubscribes.</summary>
public sealed class WatchSubscription<T>(ChannelReader<T> reader, Func<ValueTask> leave) : IAsyncDisposable
{
    private int _disposed;

    public ChannelReader<T> Reader => reader;

    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _disposed, 1) == 0 ? leave() : ValueTask.CompletedTask;
}
