// SPDX-License-Identifier: MIT
pragma solidity ^0.8.31;

/// @notice Test-only: CLZ (EIP-7939) from inline assembly, compiled by solc's default target (osaka).
contract Clz {
    function leadingZeros(uint256 x) external pure returns (uint256 r) {
        assembly {
            r := clz(x)
        }
    }
}
