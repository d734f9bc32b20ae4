namespace ActorCrm.IntegrationTests.Infrastructure;

/// <summary>Settings for a cluster of silo processes on Azurite (Azure Table membership), each test in its own namespace and cluster.</summary>
public static class TwoSilos
{
    public static Dictionary<string, string> Settings(string serviceId, string clusterPrefix)
    {
        Azurite.EnsureRunning();
        return new Dictionary<string, string>
        {
            ["Storage:Provider"] = "AzureStorage",
            ["Storage:ConnectionString"] = Azurite.ConnectionString,
            ["Storage:Namespace"] = Azurite.NewNamespace(),
            ["Clustering:Provider"] = "AzureStorage",
            ["Orleans:ClusterId"] = $"{clusterPrefix}{Guid.NewGuid():N}",
            ["Orleans:ServiceId"] = serviceId,
        };
    }
}
