// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title RollupTypes
/// @notice The OP Stack's withdrawal and output-root shapes (specs: protocol/withdrawals.md, protocol/proposals.md), so
/// that OP tooling (viem's OP Stack actions) builds the same hashes and proofs against our contracts.
library RollupTypes {
    /// @notice A withdrawal as the L2ToL1MessagePasser records it.
    struct WithdrawalTransaction {
        uint256 nonce;
        address sender;
        address target;
        uint256 value;
        uint256 gasLimit;
        bytes data;
    }

    /// @notice The preimage of a version-0 output root.
    struct OutputRootProof {
        bytes32 version;
        bytes32 stateRoot;
        bytes32 messagePasserStorageRoot;
        bytes32 latestBlockhash;
    }

    /// @notice One proposed output: its root, when it was proposed (L1 time) and the L2 block it commits to.
    struct OutputProposal {
        bytes32 outputRoot;
        uint128 timestamp;
        uint128 l2BlockNumber;
    }
}

/// @title RollupHashing
/// @notice Withdrawal hashes, output roots, address aliasing and versioned nonces, as the OP Stack defines them.
library RollupHashing {
    /// @notice Output root version 0.
    bytes32 internal constant OUTPUT_VERSION_V0 = bytes32(0);
    /// @notice Offset added to an L1 contract's address to give its L2 alias.
    uint160 internal constant ALIAS_OFFSET = uint160(0x1111000000000000000000000000000000001111);

    /// @notice keccak256(abi.encode(nonce, sender, target, value, gasLimit, data)).
    function withdrawalHash(RollupTypes.WithdrawalTransaction memory w) internal pure returns (bytes32) {
        return keccak256(abi.encode(w.nonce, w.sender, w.target, w.value, w.gasLimit, w.data));
    }

    /// @notice keccak256 of the four 32-byte words of a version-0 output root.
    function outputRoot(RollupTypes.OutputRootProof memory p) internal pure returns (bytes32) {
        return keccak256(abi.encode(p.version, p.stateRoot, p.messagePasserStorageRoot, p.latestBlockhash));
    }

    /// @notice The L2 address an L1 contract acts as (wrapping addition).
    function applyL1ToL2Alias(address l1Address) internal pure returns (address) {
        unchecked {
            return address(uint160(l1Address) + ALIAS_OFFSET);
        }
    }

    /// @notice The L1 address behind an L2 alias (wrapping subtraction).
    function undoL1ToL2Alias(address l2Address) internal pure returns (address) {
        unchecked {
            return address(uint160(l2Address) - ALIAS_OFFSET);
        }
    }

    /// @notice A nonce with its message version in the top two bytes.
    function encodeVersionedNonce(uint240 nonce, uint16 version) internal pure returns (uint256) {
        return (uint256(version) << 240) | uint256(nonce);
    }
}
