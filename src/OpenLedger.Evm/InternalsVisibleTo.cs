using System.Runtime.CompilerServices;

// Tests and the state-test/benchmark tools reach a few internals (precompile tables, executor seams).
[assembly: InternalsVisibleTo("OpenLedger.Evm.Tests")]
[assembly: InternalsVisibleTo("OpenLedger.Tools")]
