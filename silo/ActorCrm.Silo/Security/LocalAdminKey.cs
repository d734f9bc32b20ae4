using System.Security.Cryptography;

namespace ActorCrm.Silo.Security;

/// <summary>
/// The local admin key of a local run: read from Auth:LocalAdminKeyFile, or created there (a random
/// 256-bit key, readable by the owner only) on first start, and trusted as the "local-admin" API key.
/// </summary>
public static class LocalAdminKey
{
    public const string Name = "local-admin";

    public static void Provision(AuthOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.LocalAdminKeyFile) || options.ApiKeys.ContainsKey(Name)) return;
        var path = Path.GetFullPath(options.LocalAdminKeyFile);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var key = Base64Url(RandomNumberGenerator.GetBytes(32));
            var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            try
            {
                using var writer = new StreamWriter(path, file);
                writer.WriteLine(key);
            }
            catch (IOException) when (File.Exists(path))
            {
                // another silo of this local cluster created it first: use theirs
            }
        }
        var stored = File.ReadAllText(path).Trim();
        if (stored.Length < 20) throw new InvalidOperationException($"{path} holds no usable API key: delete it to get a new one");
        // Unlimited: the local operator runs imports and benchmarks with it.
        options.ApiKeys[Name] = new ApiKeyOptions { Sha256 = Authenticator.Sha256Hex(stored), Role = "admin", RequestsPerSecond = 0 };
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
