// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice Test-only contract for the L2 node's client tests (ethers, viem): storage and events.
contract E2EProbe {
    event Stored(address indexed by, uint256 indexed slot, uint256 value);
    event Pinged(address indexed from, uint256 amount);

    mapping(uint256 => uint256) public values;
    uint256 public count;

    function store(uint256 slot, uint256 value) external {
        values[slot] = value;
        count += 1;
        emit Stored(msg.sender, slot, value);
    }

    function ping() external payable {
        emit Pinged(msg.sender, msg.value);
    }
}
