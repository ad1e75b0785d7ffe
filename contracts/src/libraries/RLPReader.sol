// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title RLPReader
/// @notice Strict, allocation-light RLP decoding over memory (Ethereum Yellow Paper, appendix B), enough to walk
/// Merkle-Patricia proof nodes. Non-canonical encodings (a single byte below 0x80 wrapped as a string, long forms
/// for short payloads, leading zeros in lengths) and items that overrun their parent are rejected.
library RLPReader {
    /// @notice A view of one RLP item in memory: where its encoding starts and how long the whole encoding is.
    struct Item {
        uint256 ptr;
        uint256 len;
    }

    /// @notice The input is not valid, canonical RLP of the expected shape; `reason` says which rule failed.
    error InvalidRLP(string reason);

    /// @notice Most items a list may hold here (a branch node has 17).
    uint256 internal constant MAX_LIST_ITEMS = 32;

    /// @notice The item spanning all of `data`.
    function toItem(bytes memory data) internal pure returns (Item memory item) {
        if (data.length == 0) revert InvalidRLP("empty input");
        uint256 ptr;
        assembly ("memory-safe") {
            ptr := add(data, 32)
        }
        item = Item(ptr, data.length);
    }

    /// @notice Decodes a list into its items; the list must cover the whole item.
    function readList(Item memory item) internal pure returns (Item[] memory items) {
        (uint256 offset, uint256 length, bool list) = _header(item);
        if (!list) revert InvalidRLP("expected a list");
        if (offset + length != item.len) revert InvalidRLP("trailing bytes after list");
        items = new Item[](MAX_LIST_ITEMS);
        uint256 count;
        uint256 ptr = item.ptr + offset;
        uint256 end = ptr + length;
        while (ptr < end) {
            if (count == MAX_LIST_ITEMS) revert InvalidRLP("too many list items");
            Item memory child = Item(ptr, end - ptr);
            (uint256 childOffset, uint256 childLength,) = _header(child);
            child.len = childOffset + childLength;
            items[count++] = child;
            ptr += child.len;
        }
        assembly ("memory-safe") {
            mstore(items, count)
        }
    }

    /// @notice Decodes a string item into its payload bytes; the string must cover the whole item.
    function readBytes(Item memory item) internal pure returns (bytes memory out) {
        (uint256 offset, uint256 length, bool list) = _header(item);
        if (list) revert InvalidRLP("expected a string");
        if (offset + length != item.len) revert InvalidRLP("trailing bytes after string");
        out = _copy(item.ptr + offset, length);
    }

    /// @notice The item's whole encoding (header included), e.g. an embedded trie node.
    function readRaw(Item memory item) internal pure returns (bytes memory) {
        return _copy(item.ptr, item.len);
    }

    /// @notice Whether the item is a list (reads only its first byte).
    function isList(Item memory item) internal pure returns (bool) {
        return _firstByte(item.ptr) >= 0xc0;
    }

    /// @dev Payload offset and length of the item at `item.ptr`, bounded by `item.len`, with canonical-form checks.
    function _header(Item memory item) private pure returns (uint256 offset, uint256 length, bool list) {
        if (item.len == 0) revert InvalidRLP("empty item");
        uint256 prefix = _firstByte(item.ptr);
        if (prefix < 0x80) return (0, 1, false);
        if (prefix <= 0xb7) {
            length = prefix - 0x80;
            if (item.len <= length) revert InvalidRLP("string overruns input");
            if (length == 1 && _firstByte(item.ptr + 1) < 0x80) revert InvalidRLP("non-canonical single byte");
            return (1, length, false);
        }
        if (prefix < 0xc0) {
            (offset, length) = _longLength(item, prefix - 0xb7);
            return (offset, length, false);
        }
        if (prefix <= 0xf7) {
            length = prefix - 0xc0;
            if (item.len <= length) revert InvalidRLP("list overruns input");
            return (1, length, true);
        }
        (offset, length) = _longLength(item, prefix - 0xf7);
        return (offset, length, true);
    }

    function _longLength(Item memory item, uint256 lenOfLen) private pure returns (uint256 offset, uint256 length) {
        if (item.len <= lenOfLen) revert InvalidRLP("length overruns input");
        if (_firstByte(item.ptr + 1) == 0) revert InvalidRLP("leading zero in length");
        uint256 ptr = item.ptr + 1;
        assembly ("memory-safe") {
            length := shr(sub(256, mul(8, lenOfLen)), mload(ptr))
        }
        if (length <= 55) revert InvalidRLP("long form for a short payload");
        offset = 1 + lenOfLen;
        if (item.len - offset < length) revert InvalidRLP("payload overruns input");
    }

    function _firstByte(uint256 ptr) private pure returns (uint256 b) {
        assembly ("memory-safe") {
            b := byte(0, mload(ptr))
        }
    }

    function _copy(uint256 src, uint256 length) private pure returns (bytes memory out) {
        out = new bytes(length);
        uint256 dst;
        assembly ("memory-safe") {
            dst := add(out, 32)
            mcopy(dst, src, length)
        }
    }
}
