// The fork model lives in Primitives (one spec per fork for the pool, the EVM and the chain).
global using OpenLedger.Primitives.Forks;
