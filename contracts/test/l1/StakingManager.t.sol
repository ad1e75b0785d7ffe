// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {L1Setup} from "../utils/L1Setup.sol";
import {StakingManager} from "../../src/l1/StakingManager.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

contract StakingManagerTest is L1Setup {
    StakingManager internal sm;
    address internal gov = makeAddr("gov");
    address internal treasury = makeAddr("treasury");
    address internal dispute = makeAddr("dispute");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal challenger = makeAddr("challenger");

    StakingManager.Role internal constant SEQ = StakingManager.Role.Sequencer;
    StakingManager.Role internal constant PROVER = StakingManager.Role.AttributionProver;

    function setUp() public {
        _deployL1();
        sm = new StakingManager(token, gov, treasury, UNBONDING, CHALLENGER_BPS);
        vm.startPrank(ecosystem);
        require(token.transfer(alice, 1_000_000e18));
        require(token.transfer(bob, 1_000_000e18));
        vm.stopPrank();
        vm.prank(alice);
        token.approve(address(sm), type(uint256).max);
        vm.prank(bob);
        token.approve(address(sm), type(uint256).max);
        vm.prank(gov);
        sm.setSlasher(dispute, true);
    }

    function _stake(address who, StakingManager.Role role, uint256 amount) internal {
        vm.prank(who);
        sm.stake(role, amount);
    }

    // ------------------------------------------------------------ constructor

    function test_ConstructorSetsParameters() public view {
        assertEq(address(sm.token()), address(token));
        assertEq(sm.owner(), gov);
        assertEq(sm.treasury(), treasury);
        assertEq(uint256(sm.unbondingPeriod()), UNBONDING);
        assertEq(uint256(sm.challengerBps()), CHALLENGER_BPS);
    }

    function test_RevertWhen_ConstructorBadArgs() public {
        vm.expectRevert(StakingManager.ZeroAddress.selector);
        new StakingManager(IERC20(address(0)), gov, treasury, UNBONDING, 0);
        vm.expectRevert(StakingManager.ZeroAddress.selector);
        new StakingManager(token, gov, address(0), UNBONDING, 0);
        vm.expectRevert(abi.encodeWithSelector(StakingManager.UnbondingPeriodTooLong.selector, 366 days));
        new StakingManager(token, gov, treasury, 366 days, 0);
        vm.expectRevert(abi.encodeWithSelector(StakingManager.BpsTooHigh.selector, 10_001));
        new StakingManager(token, gov, treasury, UNBONDING, 10_001);
    }

    // ------------------------------------------------------------ stake

    function test_StakeMakesActiveStaker() public {
        vm.prank(gov);
        sm.setMinStake(SEQ, 1_000e18);
        vm.expectEmit();
        emit StakingManager.Staked(alice, SEQ, 999e18, 999e18);
        _stake(alice, SEQ, 999e18);
        assertFalse(sm.isActiveStaker(alice, SEQ), "below minimum");
        _stake(alice, SEQ, 1e18);
        assertTrue(sm.isActiveStaker(alice, SEQ), "at minimum");
        assertFalse(sm.isActiveStaker(alice, PROVER), "other role");
        assertEq(token.balanceOf(address(sm)), 1_000e18, "held");
        assertEq(sm.totalDeposited(), 1_000e18, "deposited");
        assertEq(sm.positionOf(alice, SEQ).active, 1_000e18, "position");
    }

    function test_ZeroMinimumStillNeedsStake() public view {
        assertFalse(sm.isActiveStaker(alice, SEQ), "no stake, no role");
    }

    function test_RevertWhen_StakeZero() public {
        vm.expectRevert(StakingManager.ZeroAmount.selector);
        _stake(alice, SEQ, 0);
    }

    function test_RevertWhen_StakeWithoutAllowance() public {
        address carol = makeAddr("carol");
        vm.prank(ecosystem);
        require(token.transfer(carol, 10e18));
        vm.expectRevert(
            abi.encodeWithSignature("ERC20InsufficientAllowance(address,uint256,uint256)", address(sm), 0, 10e18)
        );
        vm.prank(carol);
        sm.stake(SEQ, 10e18);
    }

    // ------------------------------------------------------------ unstake and withdraw

    function test_UnstakeThenWithdrawAfterUnbonding() public {
        _stake(alice, SEQ, 100e18);
        vm.expectEmit();
        emit StakingManager.UnstakeRequested(alice, SEQ, 40e18, 40e18, uint64(block.timestamp + UNBONDING));
        vm.prank(alice);
        sm.requestUnstake(SEQ, 40e18);
        assertEq(sm.positionOf(alice, SEQ).active, 60e18, "active");
        vm.warp(block.timestamp + UNBONDING);
        uint256 before = token.balanceOf(alice);
        vm.expectEmit();
        emit StakingManager.Withdrawn(alice, SEQ, 40e18);
        vm.prank(alice);
        sm.withdraw(SEQ);
        assertEq(token.balanceOf(alice) - before, 40e18, "paid");
        assertEq(sm.totalWithdrawn(), 40e18);
        assertEq(sm.totalStaked(), 60e18);
    }

    function test_RevertWhen_UnstakeZeroOrTooMuch() public {
        _stake(alice, SEQ, 100e18);
        vm.startPrank(alice);
        vm.expectRevert(StakingManager.ZeroAmount.selector);
        sm.requestUnstake(SEQ, 0);
        vm.expectRevert(abi.encodeWithSelector(StakingManager.InsufficientStake.selector, 101e18, 100e18));
        sm.requestUnstake(SEQ, 101e18);
        vm.stopPrank();
    }

    function test_RevertWhen_WithdrawWhileUnbonding() public {
        _stake(alice, SEQ, 100e18);
        vm.prank(alice);
        sm.requestUnstake(SEQ, 100e18);
        vm.warp(block.timestamp + UNBONDING - 1);
        vm.expectRevert(abi.encodeWithSelector(StakingManager.StillUnbonding.selector, uint64(block.timestamp + 1)));
        vm.prank(alice);
        sm.withdraw(SEQ);
    }

    function test_RevertWhen_WithdrawNothing() public {
        _stake(alice, SEQ, 100e18);
        vm.expectRevert(StakingManager.NothingUnbonding.selector);
        vm.prank(alice);
        sm.withdraw(SEQ);
    }

    function test_NewRequestRestartsUnbonding() public {
        _stake(alice, SEQ, 100e18);
        vm.prank(alice);
        sm.requestUnstake(SEQ, 10e18);
        vm.warp(block.timestamp + UNBONDING - 1);
        vm.prank(alice);
        sm.requestUnstake(SEQ, 10e18);
        uint64 end = uint64(block.timestamp + UNBONDING);
        vm.warp(block.timestamp + 1);
        vm.expectRevert(abi.encodeWithSelector(StakingManager.StillUnbonding.selector, end));
        vm.prank(alice);
        sm.withdraw(SEQ);
        assertEq(sm.positionOf(alice, SEQ).unbonding, 20e18, "both requests unbonding");
    }

    // ------------------------------------------------------------ slashing

    function test_PendingSlashFreezesWithdrawalUntilCancelled() public {
        _stake(alice, SEQ, 100e18);
        vm.prank(alice);
        sm.requestUnstake(SEQ, 100e18);
        vm.prank(dispute);
        uint256 id = sm.proposeSlash(alice, SEQ, 10e18, keccak256("evidence"), challenger);
        assertEq(sm.pendingSlashes(alice), 1);
        vm.warp(block.timestamp + UNBONDING);
        vm.expectRevert(abi.encodeWithSelector(StakingManager.SlashPending.selector, alice));
        vm.prank(alice);
        sm.withdraw(SEQ);
        vm.expectEmit();
        emit StakingManager.SlashCancelled(id, alice);
        vm.prank(dispute);
        sm.cancelSlash(id);
        vm.prank(alice);
        sm.withdraw(SEQ);
        assertEq(sm.totalWithdrawn(), 100e18, "withdrawn after cancel");
    }

    function test_ExecuteSlashSplitsBetweenTreasuryAndChallenger() public {
        _stake(alice, SEQ, 100e18);
        vm.expectEmit();
        emit StakingManager.SlashProposed(1, alice, SEQ, 50e18, keccak256("ev"), challenger, gov);
        vm.prank(gov);
        uint256 id = sm.proposeSlash(alice, SEQ, 50e18, keccak256("ev"), challenger);
        vm.expectEmit();
        emit StakingManager.SlashExecuted(id, alice, SEQ, 50e18, 45e18, 5e18);
        vm.prank(gov);
        uint256 slashed = sm.executeSlash(id);
        assertEq(slashed, 50e18);
        assertEq(token.balanceOf(treasury), 45e18, "treasury 90%");
        assertEq(token.balanceOf(challenger), 5e18, "challenger 10%");
        assertEq(sm.positionOf(alice, SEQ).active, 50e18, "left");
        assertEq(sm.totalSlashed(), 50e18);
        assertEq(sm.pendingSlashes(alice), 0);
        (,, StakingManager.SlashStatus status,,,) = sm.slashes(id);
        assertEq(uint256(status), uint256(StakingManager.SlashStatus.Executed), "status");
    }

    function test_SlashTakesUnbondingAfterActiveAndCapsAtPosition() public {
        _stake(alice, SEQ, 100e18);
        vm.prank(alice);
        sm.requestUnstake(SEQ, 70e18);
        vm.startPrank(gov);
        uint256 id = sm.proposeSlash(alice, SEQ, 500e18, bytes32("x"), address(0));
        uint256 slashed = sm.executeSlash(id);
        vm.stopPrank();
        assertEq(slashed, 100e18, "capped");
        assertEq(token.balanceOf(treasury), 100e18, "no challenger: all to treasury");
        StakingManager.Position memory p = sm.positionOf(alice, SEQ);
        assertEq(p.active + p.unbonding, 0, "emptied");
    }

    function test_RevertWhen_SlashByStranger() public {
        vm.expectRevert(abi.encodeWithSelector(StakingManager.NotSlasher.selector, bob));
        vm.prank(bob);
        sm.proposeSlash(alice, SEQ, 1, bytes32(0), address(0));
        vm.expectRevert(abi.encodeWithSelector(StakingManager.NotSlasher.selector, bob));
        vm.prank(bob);
        sm.executeSlash(1);
        vm.expectRevert(abi.encodeWithSelector(StakingManager.NotSlasher.selector, bob));
        vm.prank(bob);
        sm.cancelSlash(1);
    }

    function test_RevertWhen_ProposeSlashBadArgs() public {
        vm.startPrank(gov);
        vm.expectRevert(StakingManager.ZeroAddress.selector);
        sm.proposeSlash(address(0), SEQ, 1, bytes32(0), address(0));
        vm.expectRevert(StakingManager.ZeroAmount.selector);
        sm.proposeSlash(alice, SEQ, 0, bytes32(0), address(0));
        vm.stopPrank();
    }

    function test_RevertWhen_SlashNotPending() public {
        _stake(alice, SEQ, 10e18);
        vm.startPrank(gov);
        vm.expectRevert(abi.encodeWithSelector(StakingManager.SlashNotPending.selector, 7));
        sm.executeSlash(7);
        uint256 id = sm.proposeSlash(alice, SEQ, 1e18, bytes32(0), address(0));
        sm.executeSlash(id);
        vm.expectRevert(abi.encodeWithSelector(StakingManager.SlashNotPending.selector, id));
        sm.executeSlash(id);
        vm.expectRevert(abi.encodeWithSelector(StakingManager.SlashNotPending.selector, id));
        sm.cancelSlash(id);
        vm.stopPrank();
    }

    function test_RevokedSlasherCannotSlash() public {
        vm.expectEmit();
        emit StakingManager.SlasherSet(dispute, false);
        vm.prank(gov);
        sm.setSlasher(dispute, false);
        vm.expectRevert(abi.encodeWithSelector(StakingManager.NotSlasher.selector, dispute));
        vm.prank(dispute);
        sm.proposeSlash(alice, SEQ, 1, bytes32(0), address(0));
    }

    // ------------------------------------------------------------ governance setters

    function test_OwnerSetsParameters() public {
        vm.startPrank(gov);
        vm.expectEmit();
        emit StakingManager.MinStakeSet(PROVER, 5e18);
        sm.setMinStake(PROVER, 5e18);
        vm.expectEmit();
        emit StakingManager.UnbondingPeriodSet(3 days);
        sm.setUnbondingPeriod(3 days);
        vm.expectEmit();
        emit StakingManager.TreasurySet(bob);
        sm.setTreasury(bob);
        vm.expectEmit();
        emit StakingManager.ChallengerBpsSet(2_500);
        sm.setChallengerBps(2_500);
        vm.stopPrank();
        assertEq(sm.minStake(PROVER), 5e18);
        assertEq(uint256(sm.unbondingPeriod()), 3 days);
        assertEq(sm.treasury(), bob);
        assertEq(uint256(sm.challengerBps()), 2_500);
    }

    function test_RevertWhen_SettersByNonOwner() public {
        bytes memory err = abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice);
        vm.startPrank(alice);
        vm.expectRevert(err);
        sm.setMinStake(SEQ, 1);
        vm.expectRevert(err);
        sm.setUnbondingPeriod(1);
        vm.expectRevert(err);
        sm.setTreasury(alice);
        vm.expectRevert(err);
        sm.setChallengerBps(1);
        vm.expectRevert(err);
        sm.setSlasher(alice, true);
        vm.stopPrank();
    }

    function test_RevertWhen_SettersOutOfRange() public {
        vm.startPrank(gov);
        vm.expectRevert(abi.encodeWithSelector(StakingManager.UnbondingPeriodTooLong.selector, 366 days));
        sm.setUnbondingPeriod(366 days);
        vm.expectRevert(StakingManager.ZeroAddress.selector);
        sm.setTreasury(address(0));
        vm.expectRevert(abi.encodeWithSelector(StakingManager.BpsTooHigh.selector, 10_001));
        sm.setChallengerBps(10_001);
        vm.expectRevert(StakingManager.ZeroAddress.selector);
        sm.setSlasher(address(0), true);
        vm.stopPrank();
    }

    function test_OwnershipIsTwoStep() public {
        vm.prank(gov);
        sm.transferOwnership(bob);
        assertEq(sm.owner(), gov, "still gov until accepted");
        vm.prank(bob);
        sm.acceptOwnership();
        assertEq(sm.owner(), bob);
    }

    // ------------------------------------------------------------ fuzz

    function testFuzz_StakeUnstakeWithdrawConserves(uint256 stakeAmt, uint256 unstakeAmt, uint256 slashAmt, uint16 bps)
        public
    {
        stakeAmt = bound(stakeAmt, 1, 1_000_000e18);
        unstakeAmt = bound(unstakeAmt, 1, stakeAmt);
        slashAmt = bound(slashAmt, 1, 2_000_000e18);
        bps = uint16(bound(bps, 0, 10_000));
        vm.prank(gov);
        sm.setChallengerBps(bps);
        _stake(bob, PROVER, stakeAmt);
        vm.prank(bob);
        sm.requestUnstake(PROVER, unstakeAmt);
        vm.startPrank(gov);
        uint256 slashed = sm.executeSlash(sm.proposeSlash(bob, PROVER, slashAmt, bytes32(0), challenger));
        vm.stopPrank();
        assertEq(slashed, slashAmt < stakeAmt ? slashAmt : stakeAmt, "slashed = min(request, position)");
        assertEq(token.balanceOf(challenger), slashed * bps / 10_000, "challenger share");
        assertEq(token.balanceOf(treasury) + token.balanceOf(challenger), slashed, "split sums");
        StakingManager.Position memory p = sm.positionOf(bob, PROVER);
        if (p.unbonding != 0) {
            vm.warp(block.timestamp + UNBONDING);
            vm.prank(bob);
            sm.withdraw(PROVER);
        }
        assertEq(sm.totalStaked() + sm.totalSlashed() + sm.totalWithdrawn(), sm.totalDeposited(), "conservation");
        assertEq(token.balanceOf(address(sm)), sm.totalStaked(), "balance backs stake");
    }
}
