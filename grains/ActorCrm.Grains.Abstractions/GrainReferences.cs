using System.Collections.Concurrent;

namespace ActorCrm.Grains;

/// <summary>
/// References to string-keyed grains without resolving the interface per call:
/// <c>GetGrain&lt;T&gt;(key)</c> maps the interface type to its grain and interface types by
/// reflection on every call (its custom attributes), ~4 % of the silo's CPU in a profiled ingest
/// where every account of a batch is addressed. The mapping is the same for every silo and client of
/// a process, so it is done once per interface.
/// </summary>
public static class GrainReferences
{
    private static readonly ConcurrentDictionary<Type, (GrainType Grain, GrainInterfaceType Interface)> Types = new();

    public static T GetKeyed<T>(this IGrainFactory grains, string key) where T : IGrainWithStringKey
    {
        var (grainType, interfaceType) = Types.GetOrAdd(typeof(T), static (_, factory) =>
        {
            var sample = (GrainReference)(object)factory.GetGrain<T>("-");
            return (sample.GrainId.Type, sample.InterfaceType);
        }, grains);
        return (T)grains.GetGrain(GrainId.Create(grainType, key), interfaceType);
    }
}
