// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../utils/Test.sol";
import {AttributionRewards} from "../../src/l2/AttributionRewards.sol";
import {InferencePayments, IEpochFees} from "../../src/l2/InferencePayments.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// @notice Refuses native transfers (a withdrawal to it fails).
contract Refuser {
    function depositAndRequest(InferencePayments p, uint256 amount) external payable {
        p.deposit{value: msg.value}();
        p.requestWithdrawal(amount);
    }

    function pull(InferencePayments p) external {
        p.withdraw();
    }
}

/// @notice Tries to withdraw again while being paid.
contract ReentrantWithdrawer {
    InferencePayments internal p;
    bool public reentryBlocked;

    function setUp(InferencePayments p_, uint256 amount) external payable {
        p = p_;
        p.deposit{value: msg.value}();
        p.requestWithdrawal(amount);
    }

    function pull() external {
        p.withdraw();
    }

    receive() external payable {
        try p.withdraw() {} catch {
            reentryBlocked = true;
        }
    }
}

contract InferencePaymentsTest is Test {
    AttributionRewards internal rewards;
    InferencePayments internal payments;
    address internal gov = makeAddr("gov");
    address internal settler = makeAddr("settler");
    uint256 internal userKey = 0xA11CE;
    address internal user;
    uint64 internal constant START = 1_700_000_000;
    uint64 internal constant EPOCH = 1 hours;
    uint64 internal constant DELAY = 1 days;

    function setUp() public {
        vm.warp(START);
        user = vm.addr(userKey);
        rewards = new AttributionRewards(gov, gov, gov, 1 days, AttributionRewards.Split(5000, 2500, 1500, 1000));
        payments = new InferencePayments(gov, settler, IEpochFees(address(rewards)), START, EPOCH, DELAY);
        vm.deal(user, 100 ether);
    }

    function _auth(uint256 nonce, uint256 maxFee) internal view returns (InferencePayments.Authorization memory) {
        return InferencePayments.Authorization(user, 7, maxFee, nonce, uint64(block.timestamp + 1 hours));
    }

    function _sign(uint256 key, InferencePayments.Authorization memory a) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, payments.authorizationDigest(a));
        return abi.encodePacked(r, s, v);
    }

    function _charge(uint256 nonce, uint256 maxFee, uint256 fee) internal view returns (InferencePayments.Charge memory) {
        InferencePayments.Authorization memory a = _auth(nonce, maxFee);
        return InferencePayments.Charge(a, _sign(userKey, a), fee, keccak256(abi.encode("record", nonce)));
    }

    function _one(InferencePayments.Charge memory c) internal pure returns (InferencePayments.Charge[] memory cs) {
        cs = new InferencePayments.Charge[](1);
        cs[0] = c;
    }

    function _settle(InferencePayments.Charge[] memory cs) internal returns (uint256) {
        vm.prank(settler);
        return payments.settle(cs);
    }

    function _deposit(uint256 amount) internal {
        vm.prank(user);
        payments.deposit{value: amount}();
    }

    // ---------------------------------------------------------------- constructor

    function test_Constructor() public view {
        assertEq(address(payments.rewards()), address(rewards));
        assertEq(payments.epochStart(), START);
        assertEq(payments.epochLength(), EPOCH);
        assertEq(payments.withdrawDelay(), DELAY);
        assertTrue(payments.hasRole(payments.SETTLER_ROLE(), settler));
        assertTrue(payments.hasRole(payments.DEFAULT_ADMIN_ROLE(), gov));
    }

    function test_ConstructorDefaultsStartAndNoSettler() public {
        InferencePayments p = new InferencePayments(gov, address(0), IEpochFees(address(rewards)), 0, EPOCH, 0);
        assertEq(p.epochStart(), START);
        assertFalse(p.hasRole(p.SETTLER_ROLE(), settler));
    }

    function test_ConstructorRejects() public {
        vm.expectRevert(InferencePayments.ZeroAddress.selector);
        new InferencePayments(address(0), settler, IEpochFees(address(rewards)), START, EPOCH, DELAY);
        vm.expectRevert(InferencePayments.ZeroAddress.selector);
        new InferencePayments(gov, settler, IEpochFees(address(0)), START, EPOCH, DELAY);
        vm.expectRevert(InferencePayments.BadEpochLength.selector);
        new InferencePayments(gov, settler, IEpochFees(address(rewards)), START, 0, DELAY);
        vm.expectRevert(abi.encodeWithSelector(InferencePayments.DelayTooLong.selector, uint64(31 days)));
        new InferencePayments(gov, settler, IEpochFees(address(rewards)), START, EPOCH, 31 days);
    }

    // ---------------------------------------------------------------- deposits and withdrawals

    function test_DepositAndDepositFor() public {
        _deposit(3 ether);
        vm.prank(user);
        payments.depositFor{value: 2 ether}(settler);
        assertEq(payments.balanceOf(user), 3 ether);
        assertEq(payments.balanceOf(settler), 2 ether);
        assertEq(payments.totalDeposited(), 5 ether);
    }

    function test_DepositRejectsZero() public {
        vm.expectRevert(InferencePayments.ZeroValue.selector);
        payments.deposit();
        vm.expectRevert(InferencePayments.ZeroAddress.selector);
        payments.depositFor{value: 1}(address(0));
    }

    function test_WithdrawAfterDelay() public {
        _deposit(5 ether);
        vm.prank(user);
        payments.requestWithdrawal(2 ether);
        assertEq(payments.pendingWithdrawal(user).amount, 2 ether);
        vm.prank(user);
        vm.expectRevert(abi.encodeWithSelector(InferencePayments.WithdrawalNotReady.selector, START + DELAY));
        payments.withdraw();
        vm.warp(START + DELAY);
        uint256 before = user.balance;
        vm.prank(user);
        payments.withdraw();
        assertEq(user.balance - before, 2 ether);
        assertEq(payments.balanceOf(user), 3 ether);
        assertEq(payments.totalWithdrawn(), 2 ether);
        assertEq(payments.pendingWithdrawal(user).readyAt, 0);
        vm.prank(user);
        vm.expectRevert(InferencePayments.NoWithdrawal.selector);
        payments.withdraw();
    }

    function test_WithdrawPaysWhatChargesLeft() public {
        _deposit(1 ether);
        vm.prank(user);
        payments.requestWithdrawal(1 ether);
        _settle(_one(_charge(1, 0.4 ether, 0.4 ether)));
        vm.warp(START + DELAY);
        uint256 before = user.balance;
        vm.prank(user);
        payments.withdraw();
        assertEq(user.balance - before, 0.6 ether);
        assertEq(payments.balanceOf(user), 0);
    }

    function test_RequestWithdrawalRejects() public {
        _deposit(1 ether);
        vm.startPrank(user);
        vm.expectRevert(InferencePayments.ZeroValue.selector);
        payments.requestWithdrawal(0);
        vm.expectRevert(abi.encodeWithSelector(InferencePayments.AmountExceedsBalance.selector, 2 ether, 1 ether));
        payments.requestWithdrawal(2 ether);
        vm.stopPrank();
    }

    function test_WithdrawTransferFails() public {
        Refuser r = new Refuser();
        r.depositAndRequest{value: 1 ether}(payments, 1 ether);
        vm.warp(START + DELAY);
        vm.expectRevert(InferencePayments.TransferFailed.selector);
        r.pull(payments);
    }

    function test_WithdrawIsNotReentrant() public {
        ReentrantWithdrawer w = new ReentrantWithdrawer();
        w.setUp{value: 1 ether}(payments, 1 ether);
        vm.warp(START + DELAY);
        w.pull();
        assertTrue(w.reentryBlocked());
        assertEq(address(w).balance, 1 ether);
    }

    function test_SetWithdrawDelay() public {
        vm.prank(gov);
        payments.setWithdrawDelay(2 hours);
        assertEq(payments.withdrawDelay(), 2 hours);
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(InferencePayments.DelayTooLong.selector, uint64(30 days + 1)));
        payments.setWithdrawDelay(30 days + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, address(this), bytes32(0)
            )
        );
        payments.setWithdrawDelay(1);
    }

    // ---------------------------------------------------------------- settlement

    function test_SettleChargesIntoCurrentEpoch() public {
        _deposit(10 ether);
        vm.warp(START + 2 * EPOCH + 5);
        InferencePayments.Charge[] memory cs = new InferencePayments.Charge[](2);
        cs[0] = _charge(1, 1 ether, 0.25 ether);
        cs[1] = _charge(2, 1 ether, 1 ether);
        vm.expectEmit(address(payments));
        emit InferencePayments.Charged(2, user, 7, 1, 0.25 ether, cs[0].recordHash);
        assertEq(_settle(cs), 2);
        assertEq(payments.balanceOf(user), 8.75 ether);
        assertEq(payments.totalCharged(), 1.25 ether);
        assertEq(payments.chargedRecord(user, 1), cs[0].recordHash);
        assertEq(payments.chargedRecord(user, 2), cs[1].recordHash);
        assertEq(rewards.getEpoch(2).fees, 1.25 ether);
        assertEq(address(rewards).balance, 1.25 ether);
    }

    function test_SettleRejectsEachBadItem() public {
        _deposit(1 ether);
        _settle(_one(_charge(9, 1, 1))); // spends nonce 9
        InferencePayments.Charge[] memory cs = new InferencePayments.Charge[](8);
        cs[0] = _charge(1, 1 ether, 1 ether);
        cs[0].recordHash = bytes32(0);
        cs[1] = _charge(9, 1 ether, 1); // nonce spent
        cs[2] = _charge(2, 1 ether, 1 ether + 1); // above max
        cs[3] = _charge(3, 1 ether, 1);
        cs[3].auth.expiry = uint64(block.timestamp - 1); // expired (signature over the changed auth still valid)
        cs[3].signature = _sign(userKey, cs[3].auth);
        cs[4] = _charge(4, 1 ether, 1);
        cs[4].signature = _sign(0xB0B, cs[4].auth); // another signer
        cs[5] = _charge(5, 1 ether, 1);
        cs[5].signature = hex"1234"; // malformed
        cs[6] = _charge(6, 2 ether, 2 ether); // more than the balance
        cs[7] = _charge(7, 1 ether, 0); // a zero fee is fine
        vm.expectEmit(address(payments));
        emit InferencePayments.ChargeRejected(user, 1, InferencePayments.Rejection.ZeroRecordHash);
        vm.expectEmit(address(payments));
        emit InferencePayments.ChargeRejected(user, 9, InferencePayments.Rejection.NonceSpent);
        vm.expectEmit(address(payments));
        emit InferencePayments.ChargeRejected(user, 2, InferencePayments.Rejection.FeeAboveMax);
        vm.expectEmit(address(payments));
        emit InferencePayments.ChargeRejected(user, 3, InferencePayments.Rejection.Expired);
        vm.expectEmit(address(payments));
        emit InferencePayments.ChargeRejected(user, 4, InferencePayments.Rejection.BadSignature);
        vm.expectEmit(address(payments));
        emit InferencePayments.ChargeRejected(user, 5, InferencePayments.Rejection.BadSignature);
        vm.expectEmit(address(payments));
        emit InferencePayments.ChargeRejected(user, 6, InferencePayments.Rejection.InsufficientBalance);
        assertEq(_settle(cs), 1);
        assertEq(payments.balanceOf(user), 1 ether - 1);
        assertEq(rewards.getEpoch(0).fees, 1);
    }

    function test_SettleDuplicateNonceInOneBatch() public {
        _deposit(1 ether);
        InferencePayments.Charge[] memory cs = new InferencePayments.Charge[](2);
        cs[0] = _charge(1, 1, 1);
        cs[1] = _charge(1, 1, 1);
        assertEq(_settle(cs), 1);
        assertEq(payments.totalCharged(), 1);
    }

    function test_SettleNothingDepositsNothing() public {
        assertEq(_settle(new InferencePayments.Charge[](0)), 0);
        assertEq(rewards.getEpoch(0).fees, 0);
    }

    function test_SettleOnlySettler() public {
        InferencePayments.Charge[] memory cs = new InferencePayments.Charge[](0);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, address(this), payments.SETTLER_ROLE()
            )
        );
        payments.settle(cs);
    }

    function test_SettleRevertsWhenEpochAlreadyPosted() public {
        _deposit(1 ether);
        _settle(_one(_charge(1, 1, 1)));
        vm.prank(gov);
        rewards.postRoot(0, bytes32(uint256(1)), 0);
        InferencePayments.Charge[] memory cs = _one(_charge(2, 1, 1));
        vm.prank(settler);
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.EpochPosted.selector, 0));
        payments.settle(cs);
    }

    // ---------------------------------------------------------------- epochs

    function test_EpochClock() public view {
        assertEq(payments.epochOf(START - 10), 0);
        assertEq(payments.epochOf(START), 0);
        assertEq(payments.epochOf(START + EPOCH - 1), 0);
        assertEq(payments.epochOf(START + EPOCH), 1);
        assertEq(payments.epochEnd(0), START + EPOCH);
        assertEq(payments.epochEnd(3), START + 4 * EPOCH);
        assertEq(payments.currentEpoch(), 0);
    }

    function testFuzz_EpochEndIsFirstSecondOfNext(uint32 epoch) public view {
        uint256 end = payments.epochEnd(epoch);
        assertEq(payments.epochOf(end - 1), epoch);
        assertEq(payments.epochOf(end), uint256(epoch) + 1);
    }
}
