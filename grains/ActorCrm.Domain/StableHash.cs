using System.Text;

namespace ActorCrm.Domain;

/// <summary>FNV-1a hashes over UTF-8: stable across processes and versions, unlike string.GetHashCode.</summary>
public static class StableHash
{
    public static uint Fnv1a32(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 16777619u;
        }
        return hash;
    }

    public static ulong Fnv1a64(string text)
    {
        var hash = 14695981039346656037ul;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 1099511628211ul;
        }
        return hash;
    }
}
