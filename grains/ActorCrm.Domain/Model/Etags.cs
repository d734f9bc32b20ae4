namespace ActorCrm.Domain.Model;

/// <summary>
/// Etags are the saved version of a record, written as a quoted decimal. Versions only grow (a
/// deleted record keeps its version as a tombstone), so an etag is never reused.
/// </summary>
public static class Etags
{
    public static string Format(long version) => $"\"{version}\"";

    public static bool Matches(string etag, long version) => etag == Format(version);
}
