using System.Net.Sockets;

namespace ActorCrm.IntegrationTests.Infrastructure;

/// <summary>
/// The Azure Storage emulator the durability tests run against. `.ci/test` (the README's test
/// command) starts it; a test that finds it missing fails — it never skips.
/// </summary>
public static class Azurite
{
    public const string ConnectionString = "UseDevelopmentStorage=true";

    public static void EnsureRunning()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", 10002);
        }
        catch (SocketException error)
        {
            throw new InvalidOperationException(
                "Azurite does not answer on 127.0.0.1:10002. Run the tests through .ci/test, or start it with tools/azurite/azurite.sh start.", error);
        }
    }

    /// <summary>A storage namespace of its own, so tests sharing one emulator never see each other's tables.</summary>
    public static string NewNamespace() => $"T{Guid.NewGuid():N}"[..20];
}
