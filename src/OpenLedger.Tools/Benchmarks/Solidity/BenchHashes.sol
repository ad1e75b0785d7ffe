// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// `bench evm` workload: a hashing loop as Solidity writes it (abi.encodePacked into fresh memory, keccak256),
/// each hash chained into the next. `run` makes one external call per 1,000 hashes, so memory (which Solidity
/// never frees) stays small and the gas is spent on hashing rather than on memory expansion. Written for the benchmark.
contract BenchHashes {
    function run(uint256 rounds) external view returns (bytes32 h) {
        for (uint256 r = 0; r < rounds; r++) h = this.chain(h, r * 1000, 1000);
    }

    function chain(bytes32 h, uint256 from, uint256 count) external pure returns (bytes32) {
        for (uint256 i = from; i < from + count; i++) h = keccak256(abi.encodePacked(h, i));
        return h;
    }
}
