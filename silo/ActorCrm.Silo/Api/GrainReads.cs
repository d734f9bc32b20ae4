using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Model;
using ActorCrm.Grains;

namespace ActorCrm.Silo.Api;

internal static class GrainReads
{
    /// <summary>The account, or null when it does not exist (e.g. deleted between an index read and this read).</summary>
    public static async Task<AccountView?> TryGetAccountAsync(this IGrainFactory grains, string accountId)
    {
        try
        {
            return await grains.GetKeyed<IAccountGrain>(accountId).GetAsync();
        }
        catch (CrmException e) when (e.Kind == ErrorKind.NotFound)
        {
            return null;
        }
    }
}
