// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../utils/Test.sol";
import {L1Setup} from "../utils/L1Setup.sol";
import {OpenToken} from "../../src/l1/OpenToken.sol";
import {StakingManager} from "../../src/l1/StakingManager.sol";

/// @notice Drives StakingManager with bounded random actions by three stakers and governance.
contract StakingHandler is Test {
    StakingManager internal sm;
    OpenToken internal token;
    address internal gov;
    address[3] internal actors;
    uint256 public ghostDeposited;
    uint256 public ghostWithdrawn;
    uint256 public ghostSlashed;

    constructor(StakingManager sm_, OpenToken token_, address gov_, address[3] memory actors_) {
        sm = sm_;
        token = token_;
        gov = gov_;
        actors = actors_;
    }

    function stake(uint256 who, uint8 role, uint256 amount) external {
        address a = actors[who % 3];
        amount = bound(amount, 1, token.balanceOf(a) == 0 ? 1 : token.balanceOf(a));
        if (token.balanceOf(a) == 0) return;
        vm.prank(a);
        sm.stake(StakingManager.Role(role % 3), amount);
        ghostDeposited += amount;
    }

    function requestUnstake(uint256 who, uint8 role, uint256 amount) external {
        address a = actors[who % 3];
        StakingManager.Role r = StakingManager.Role(role % 3);
        uint256 active = sm.positionOf(a, r).active;
        if (active == 0) return;
        vm.prank(a);
        sm.requestUnstake(r, bound(amount, 1, active));
    }

    function withdraw(uint256 who, uint8 role) external {
        address a = actors[who % 3];
        StakingManager.Role r = StakingManager.Role(role % 3);
        StakingManager.Position memory p = sm.positionOf(a, r);
        if (p.unbonding == 0 || sm.pendingSlashes(a) != 0) return;
        if (block.timestamp < p.unbondingEnd) vm.warp(p.unbondingEnd);
        vm.prank(a);
        sm.withdraw(r);
        ghostWithdrawn += p.unbonding;
    }

    function slash(uint256 who, uint8 role, uint256 amount, bool execute) external {
        address a = actors[who % 3];
        amount = bound(amount, 1, 2_000_000e18);
        vm.startPrank(gov);
        uint256 id =
            sm.proposeSlash(a, StakingManager.Role(role % 3), amount, bytes32(amount), actors[(who % 3 + 1) % 3]);
        if (execute) ghostSlashed += sm.executeSlash(id);
        vm.stopPrank();
    }

    function resolveLatest(bool execute) external {
        uint256 id = sm.slashCount();
        if (id == 0) return;
        (,, StakingManager.SlashStatus status,,,) = sm.slashes(id);
        if (status != StakingManager.SlashStatus.Pending) return;
        vm.prank(gov);
        if (execute) ghostSlashed += sm.executeSlash(id);
        else sm.cancelSlash(id);
    }

    function warp(uint256 secs) external {
        vm.warp(block.timestamp + bound(secs, 0, 30 days));
    }
}

contract StakingManagerInvariantTest is L1Setup {
    StakingHandler internal handler;
    StakingManager internal sm;
    address internal gov = makeAddr("gov");

    function setUp() public {
        _deployL1();
        sm = new StakingManager(token, gov, makeAddr("treasury"), UNBONDING, CHALLENGER_BPS);
        address[3] memory actors = [makeAddr("a"), makeAddr("b"), makeAddr("c")];
        handler = new StakingHandler(sm, token, gov, actors);
        for (uint256 i = 0; i < 3; ++i) {
            vm.prank(ecosystem);
            require(token.transfer(actors[i], 1_000_000e18));
            vm.prank(actors[i]);
            token.approve(address(sm), type(uint256).max);
        }
        targetContract(address(handler));
    }

    /// @notice staked + slashed + withdrawn == deposited, and the contract holds exactly the stake.
    function invariant_StakeIsConserved() public view {
        assertEq(sm.totalStaked() + sm.totalSlashed() + sm.totalWithdrawn(), sm.totalDeposited(), "conservation");
        assertEq(token.balanceOf(address(sm)), sm.totalStaked(), "balance == staked");
    }

    /// @notice The contract's accounting matches what the handler did.
    function invariant_MatchesGhosts() public view {
        assertEq(sm.totalDeposited(), handler.ghostDeposited(), "deposited");
        assertEq(sm.totalWithdrawn(), handler.ghostWithdrawn(), "withdrawn");
        assertEq(sm.totalSlashed(), handler.ghostSlashed(), "slashed");
    }

    /// @notice The token's supply never changes.
    function invariant_TokenSupplyConstant() public view {
        assertEq(token.totalSupply(), 1_000_000_000e18, "supply");
    }
}
