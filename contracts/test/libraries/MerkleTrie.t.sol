// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../utils/Test.sol";
import {TrieVectors} from "../fixtures/TrieVectors.sol";
import {MerkleTrie} from "../../src/libraries/MerkleTrie.sol";
import {RLPReader} from "../../src/libraries/RLPReader.sol";

/// @notice External entry points so that reverts can be expected.
contract TrieHarness {
    function get(bytes memory key, bytes[] memory proof, bytes32 root) external pure returns (bool, bytes memory) {
        return MerkleTrie.get(key, proof, root);
    }

    function readBytes(bytes memory rlp) external pure returns (bytes memory) {
        return RLPReader.readBytes(RLPReader.toItem(rlp));
    }

    function listLength(bytes memory rlp) external pure returns (uint256) {
        return RLPReader.readList(RLPReader.toItem(rlp)).length;
    }
}

contract MerkleTrieTest is Test {
    TrieHarness internal h = new TrieHarness();

    function test_smallTrie_embeddedNodesAndBranchValues() public view {
        bytes32 root = TrieVectors.SMALL_ROOT;
        (bool found, bytes memory value) = h.get(hex"10", TrieVectors.small_10(), root);
        assertTrue(found);
        assertEq(value, hex"78"); // a value held by an embedded branch
        (found, value) = h.get(hex"1011", TrieVectors.small_1011(), root);
        assertTrue(found);
        assertEq(value, hex"79"); // an embedded leaf under an embedded branch
        (found, value) = h.get(hex"12", TrieVectors.small_12(), root);
        assertTrue(found);
        assertEq(value, hex"7a");
        (found,) = h.get(hex"13", TrieVectors.small_13(), root); // empty branch slot
        assertFalse(found);
        (found,) = h.get(hex"1012", TrieVectors.small_1012(), root); // empty slot of the embedded branch
        assertFalse(found);
        (found,) = h.get(hex"20", TrieVectors.small_10(), root); // diverges from the extension
        assertFalse(found);
        (found,) = h.get(hex"101100", TrieVectors.small_1011(), root); // runs past a leaf
        assertFalse(found);
        (found,) = h.get(hex"1000", TrieVectors.small_10(), root); // below an embedded branch's value: empty slot
        assertFalse(found);
    }

    function test_realStorageProofs() public pure {
        bytes memory key = abi.encode(keccak256(abi.encode(TrieVectors.HASH_1, uint256(0))));
        assertTrue(MerkleTrie.verifySecureInclusion(key, hex"01", TrieVectors.proof1(), TrieVectors.STORAGE_ROOT));
        assertFalse(MerkleTrie.verifySecureInclusion(key, hex"02", TrieVectors.proof1(), TrieVectors.STORAGE_ROOT));
    }

    function test_badProofs() public {
        bytes[] memory p = TrieVectors.small_10();
        vm.expectRevert(abi.encodeWithSelector(MerkleTrie.InvalidProof.selector, "node hash mismatch"));
        h.get(hex"10", p, keccak256("other root"));
        bytes[] memory shortProof = new bytes[](1);
        shortProof[0] = p[0];
        vm.expectRevert(abi.encodeWithSelector(MerkleTrie.InvalidProof.selector, "proof ends before the key's node"));
        h.get(hex"10", shortProof, TrieVectors.SMALL_ROOT);

        // Nodes of other shapes, each made the root of its own one-node proof.
        _expectBad(hex"c3808080", "node is neither branch nor leaf/extension");
        _expectBad(hex"c28001", "empty node path");
        _expectBad(hex"c24001", "bad node path flag");
        _expectBad(hex"c22101", "bad even path padding");
        _expectBad(hex"c4008281ff", "child reference is not a hash"); // extension [0x00 (even, empty path), 0x81ff]
    }

    function _expectBad(bytes memory node, string memory reason) internal {
        bytes[] memory p = new bytes[](1);
        p[0] = node;
        vm.expectRevert(abi.encodeWithSelector(MerkleTrie.InvalidProof.selector, reason));
        h.get(hex"10", p, keccak256(node));
    }

    function test_rlp_strictDecoding() public {
        assertEq(h.readBytes(hex"05"), hex"05");
        assertEq(h.readBytes(hex"8180"), hex"80");
        assertEq(h.listLength(hex"c0"), 0);
        bytes memory long = new bytes(58);
        long[0] = 0xb8;
        long[1] = 0x38; // 56 bytes
        assertEq(h.readBytes(long).length, 56);
        bytes memory longList = new bytes(58);
        longList[0] = 0xf8;
        longList[1] = 0x38; // 56 bytes: a 54-byte string and one byte
        longList[2] = 0xb6;
        longList[57] = 0x01;
        assertEq(h.listLength(longList), 2);

        _expectRlp(hex"", "empty input", false);
        _expectRlp(hex"8105", "non-canonical single byte", false);
        _expectRlp(hex"82ff", "string overruns input", false);
        _expectRlp(hex"c5", "list overruns input", true);
        _expectRlp(hex"b8", "length overruns input", false);
        _expectRlp(hex"b80000", "leading zero in length", false);
        _expectRlp(hex"b80100", "long form for a short payload", false);
        _expectRlp(hex"b838ff", "payload overruns input", false);
        _expectRlp(hex"c0", "expected a string", false);
        _expectRlp(hex"05", "expected a list", true);
        _expectRlp(hex"0505", "trailing bytes after string", false);
        _expectRlp(hex"c00505", "trailing bytes after list", true);
        _expectRlp(hex"c18081", "trailing bytes after list", true);
        _expectRlp(hex"c280", "list overruns input", true);
        bytes memory tooMany = new bytes(34);
        tooMany[0] = 0xe1; // 33 one-byte items
        _expectRlp(tooMany, "too many list items", true);
    }

    function _expectRlp(bytes memory rlp, string memory reason, bool asList) internal {
        vm.expectRevert(abi.encodeWithSelector(RLPReader.InvalidRLP.selector, reason));
        if (asList) h.listLength(rlp);
        else h.readBytes(rlp);
    }
}
