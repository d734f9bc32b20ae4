using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/ActorCrm.Ranking.Benchmarks -- --job short --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
