using BenchmarkDotNet.Running;

// Micro-benchmarks (BenchmarkDotNet): dotnet run -c Release --project bench/OpenLedger.Benchmarks -- --filter '*'
// Results and the machine they ran on go in docs/benchmarks.md.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
