// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../utils/Test.sol";
import {L1Setup} from "../utils/L1Setup.sol";
import {OpenToken} from "../../src/l1/OpenToken.sol";

/// @notice Random transfers, approvals, transferFroms and delegations among a few holders.
contract TokenHandler is Test {
    OpenToken internal token;
    address[4] internal holders;

    constructor(OpenToken token_, address[4] memory holders_) {
        token = token_;
        holders = holders_;
    }

    function transfer(uint256 from, uint256 to, uint256 amount) external {
        address f = holders[from % 4];
        amount = bound(amount, 0, token.balanceOf(f));
        vm.prank(f);
        require(token.transfer(holders[to % 4], amount));
    }

    function approveAndPull(uint256 from, uint256 spender, uint256 amount) external {
        address f = holders[from % 4];
        address s = holders[spender % 4];
        amount = bound(amount, 0, token.balanceOf(f));
        vm.prank(f);
        token.approve(s, amount);
        vm.prank(s);
        require(token.transferFrom(f, s, amount));
    }

    function delegate(uint256 from, uint256 to) external {
        vm.prank(holders[from % 4]);
        token.delegate(holders[to % 4]);
    }

    function warp(uint256 secs) external {
        vm.warp(block.timestamp + bound(secs, 1, 7 days));
    }
}

contract OpenTokenInvariantTest is L1Setup {
    TokenHandler internal handler;
    address[4] internal holders;

    function setUp() public {
        _deployL1();
        holders = [ecosystem, liquidity, makeAddr("h1"), makeAddr("h2")];
        handler = new TokenHandler(token, holders);
        targetContract(address(handler));
    }

    function invariant_TotalSupplyConstant() public view {
        assertEq(token.totalSupply(), 1_000_000_000e18, "supply");
    }

    /// @notice Balances of the holders and the genesis contracts always add up to the supply.
    function invariant_BalancesSumToSupply() public view {
        uint256 sum = token.balanceOf(address(timelock)) + token.balanceOf(address(teamVesting))
            + token.balanceOf(address(investorVesting));
        for (uint256 i = 0; i < 4; ++i) {
            sum += token.balanceOf(holders[i]);
        }
        assertEq(sum, token.totalSupply(), "sum of balances");
    }

    /// @notice Delegated votes never exceed the supply (only the four holders ever delegate).
    function invariant_VotesBounded() public view {
        uint256 votes;
        for (uint256 i = 0; i < 4; ++i) {
            votes += token.getVotes(holders[i]);
        }
        assertLe(votes, 150_000_000e18, "votes <= circulating held by delegators");
    }
}
