using System.Runtime.CompilerServices;

// The precompile field/curve arithmetic is internal; its tests check it directly.
[assembly: InternalsVisibleTo("OpenLedger.Evm.Tests")]
