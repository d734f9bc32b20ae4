using ActorCrm.Ranking.Benchmarks;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/ActorCrm.Ranking.Benchmarks -- --job short --filter '*'
// dotnet run -c Release --project bench/ActorCrm.Ranking.Benchmarks -- --core-figures 10000 1000000   (bench/run's scaling part)
if (args.FirstOrDefault() == "--core-figures")
{
    CoreFigures.Run(args.Skip(1).Select(int.Parse));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
