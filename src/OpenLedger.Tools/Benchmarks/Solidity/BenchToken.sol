// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// `bench evm` workloads: a plain ERC-20 (balances, allowances, Transfer/Approval events) with three loops that
/// each run in one call: transfers to fresh holders, mints to fresh holders, and approve + transferFrom pairs
/// where the token calls itself as the spender (an external CALL per pair). Written for the benchmark.
contract BenchToken {
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
    uint256 public totalSupply;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    function transfer(address to, uint256 value) public returns (bool) {
        _transfer(msg.sender, to, value);
        return true;
    }

    function approve(address spender, uint256 value) public returns (bool) {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }

    function transferFrom(address from, address to, uint256 value) public returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        require(allowed >= value, "allowance");
        if (allowed != type(uint256).max) allowance[from][msg.sender] = allowed - value;
        _transfer(from, to, value);
        return true;
    }

    /// n transfers of 10 from the caller to n fresh holders; returns the caller's balance afterwards.
    function benchTransfer(uint256 n) external returns (uint256) {
        _mint(msg.sender, n * 10);
        for (uint256 i = 0; i < n; i++) transfer(holder(i), 10);
        return balanceOf[msg.sender];
    }

    /// n mints to fresh holders; returns the total supply.
    function benchMint(uint256 n) external returns (uint256) {
        for (uint256 i = 0; i < n; i++) _mint(holder(i), i + 1);
        return totalSupply;
    }

    /// n times: the caller approves this contract for 10, then this contract moves 10 from the caller to a fresh
    /// holder by calling its own transferFrom. Returns the caller's balance afterwards.
    function benchApproveTransfer(uint256 n) external returns (uint256) {
        _mint(msg.sender, n * 10);
        for (uint256 i = 0; i < n; i++) {
            approve(address(this), 10);
            this.transferFrom(msg.sender, holder(i), 10);
        }
        return balanceOf[msg.sender];
    }

    function holder(uint256 i) internal pure returns (address) {
        return address(uint160(0x100000 + i));
    }

    function _transfer(address from, address to, uint256 value) internal {
        uint256 balance = balanceOf[from];
        require(balance >= value, "balance");
        unchecked {
            balanceOf[from] = balance - value;
        }
        balanceOf[to] += value;
        emit Transfer(from, to, value);
    }

    function _mint(address to, uint256 value) internal {
        totalSupply += value;
        balanceOf[to] += value;
        emit Transfer(address(0), to, value);
    }
}
