using ActorCrm.Silo.Watching;

namespace ActorCrm.IntegrationTests.Watching;

public class InboxTests
{
    [Fact]
    public async Task An_inbox_keeps_only_the_latest_value_so_a_slow_reader_skips_to_it()
    {
        var inbox = new Inbox<int>();
        for (var i = 1; i <= 1000; i++) inbox.Offer(i); // never blocks, never grows

        Assert.Equal(1000, await inbox.Reader.ReadAsync());
        Assert.False(inbox.Reader.TryRead(out _));
        inbox.Offer(1001);
        Assert.Equal(1001, await inbox.Reader.ReadAsync());
    }
}
