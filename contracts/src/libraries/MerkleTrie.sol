// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {RLPReader} from "./RLPReader.sol";

/// @title MerkleTrie
/// @notice Verifies Merkle-Patricia trie proofs as `eth_getProof` returns them (Yellow Paper, appendix D): the proof is
/// the list of RLP nodes from the root towards the key; nodes under 32 bytes sit inline in their parent. Used by the
/// portal to check that a withdrawal hash is set in the L2ToL1MessagePasser's storage trie.
library MerkleTrie {
    using RLPReader for RLPReader.Item;

    /// @notice The proof does not connect to the root or is malformed; `reason` says where.
    error InvalidProof(string reason);

    /// @notice Whether `key` maps to exactly `value` in the secure trie (keys hashed with keccak256) rooted at `root`.
    function verifySecureInclusion(bytes memory key, bytes memory value, bytes[] memory proof, bytes32 root)
        internal
        pure
        returns (bool)
    {
        (bool found, bytes memory got) = get(abi.encodePacked(keccak256(key)), proof, root);
        return found && keccak256(got) == keccak256(value);
    }

    /// @notice Looks `key` up in the trie rooted at `root`; `found` is false when the proof shows the key absent.
    function get(bytes memory key, bytes[] memory proof, bytes32 root)
        internal
        pure
        returns (bool found, bytes memory value)
    {
        bytes memory nibbles = _nibbles(key);
        uint256 keyIndex;
        bytes32 expectedHash = root;
        bytes memory node; // set when the next node is embedded in its parent
        uint256 proofIndex;
        while (true) {
            if (node.length == 0) {
                if (proofIndex == proof.length) revert InvalidProof("proof ends before the key's node");
                node = proof[proofIndex++];
                if (keccak256(node) != expectedHash) revert InvalidProof("node hash mismatch");
            }
            RLPReader.Item[] memory items = RLPReader.toItem(node).readList();
            RLPReader.Item memory next;
            if (items.length == 17) {
                if (keyIndex == nibbles.length) {
                    value = items[16].readBytes();
                    return (value.length != 0, value);
                }
                next = items[uint8(nibbles[keyIndex++])];
            } else if (items.length == 2) {
                (bool leaf, bool matches, uint256 pathLen) = _matchPath(items[0].readBytes(), nibbles, keyIndex);
                if (!matches) return (false, "");
                keyIndex += pathLen;
                if (leaf) {
                    if (keyIndex != nibbles.length) return (false, "");
                    return (true, items[1].readBytes());
                }
                next = items[1];
            } else {
                revert InvalidProof("node is neither branch nor leaf/extension");
            }
            // Follow the child reference: a 32-byte hash, an embedded node, or empty (the key is absent).
            if (next.isList()) {
                node = next.readRaw();
            } else {
                bytes memory ref = next.readBytes();
                if (ref.length == 0) return (false, "");
                if (ref.length != 32) revert InvalidProof("child reference is not a hash");
                expectedHash = bytes32(ref);
                node = "";
            }
        }
    }

    /// @dev Whether the compact-encoded `path` of a leaf or extension continues the key at `keyIndex`.
    function _matchPath(bytes memory path, bytes memory nibbles, uint256 keyIndex)
        private
        pure
        returns (bool leaf, bool matches, uint256 pathLen)
    {
        if (path.length == 0) revert InvalidProof("empty node path");
        uint256 flag = uint8(path[0]) >> 4;
        if (flag > 3) revert InvalidProof("bad node path flag");
        leaf = flag >= 2;
        uint256 start = flag & 1 == 1 ? 1 : 2; // odd paths carry their first nibble in the flag byte
        if (start == 2 && uint8(path[0]) & 0x0f != 0) revert InvalidProof("bad even path padding");
        pathLen = path.length * 2 - start;
        matches = keyIndex + pathLen <= nibbles.length;
        for (uint256 i; matches && i < pathLen; ++i) {
            uint256 n = start + i;
            uint8 pathNibble = n % 2 == 0 ? uint8(path[n / 2]) >> 4 : uint8(path[n / 2]) & 0x0f;
            matches = pathNibble == uint8(nibbles[keyIndex + i]);
        }
    }

    function _nibbles(bytes memory key) private pure returns (bytes memory out) {
        out = new bytes(key.length * 2);
        for (uint256 i; i < key.length; ++i) {
            out[2 * i] = bytes1(uint8(key[i]) >> 4);
            out[2 * i + 1] = bytes1(uint8(key[i]) & 0x0f);
        }
    }
}
