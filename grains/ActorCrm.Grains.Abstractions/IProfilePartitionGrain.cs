namespace ActorCrm.Grains;

/// <summary>
/// One of the partitions that store account profiles (key 0 … <see cref="AccountDirectory.Partitions"/>−1,
/// the same split as the directory): the account grain's "profile" state is read and written here,
/// through the <c>crm-account-profiles</c> grain storage, instead of one storage record per account.
/// A partition group-commits: the writes that arrive while its log append is in flight all go out
/// in the next append, so a bulk load costs a few storage writes per hundred accounts. Records are
/// opaque serialized bytes with a version (the etag).
/// </summary>
[Alias("actorcrm.IProfilePartitionGrain")]
public interface IProfilePartitionGrain : IGrainWithIntegerKey
{
    /// <summary>The record under the key (version 0: never written), once every write of it is durable.</summary>
    [Alias("Read")] Task<ProfileRead> ReadAsync(string key);

    /// <summary>
    /// Stores <paramref name="data"/> (null: cleared) if the record is at <paramref name="expectedVersion"/>;
    /// returns the new version once it is durable, or null if the record is at another version (nothing
    /// written). Throws if storage did not confirm it (nothing is then kept in memory; the append may
    /// still have landed, as with any storage write whose answer was lost).
    /// </summary>
    [Alias("Write")] Task<long?> WriteAsync(string key, long expectedVersion, byte[]? data);

    /// <summary>
    /// Whether the store held accounts of this partition before profiles moved here (decided on the
    /// partition's first activation). Records an earlier build kept with each account (profiles,
    /// revenue ledgers) can exist only then.
    /// </summary>
    [Alias("EarlierRecordsPossible")] Task<bool> EarlierRecordsPossibleAsync();
}

/// <summary>A record as a partition holds it: data null means cleared (or never written, at version 0).</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.ProfileRecord")]
public sealed record ProfileRecord([property: Id(0)] long Version, [property: Id(1)] byte[]? Data)
{
    public static readonly ProfileRecord None = new(0, null);
}

/// <summary>
/// What a read finds. <see cref="CheckEarlierStore"/>: the partition was created over a store that
/// already held accounts, so a record it does not know may still be in the earlier layout (one
/// storage record per account) and the reader must look there.
/// </summary>
[GenerateSerializer, Immutable, Alias("actorcrm.ProfileRead")]
public sealed record ProfileRead([property: Id(0)] ProfileRecord Record, [property: Id(1)] bool CheckEarlierStore);
