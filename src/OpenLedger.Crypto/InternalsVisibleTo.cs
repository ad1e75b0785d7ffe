using System.Runtime.CompilerServices;

// The field and curve arithmetic is internal: its callers are the EVM's precompile classes, the benchmark tools and
// the tests that check the arithmetic directly.
[assembly: InternalsVisibleTo("OpenLedger.Evm")]
[assembly: InternalsVisibleTo("OpenLedger.Tools")]
[assembly: InternalsVisibleTo("OpenLedger.Crypto.Tests")]
[assembly: InternalsVisibleTo("OpenLedger.Evm.Tests")]
