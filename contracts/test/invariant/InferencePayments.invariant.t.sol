// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../utils/Test.sol";
import {AttributionRewards} from "../../src/l2/AttributionRewards.sol";
import {InferencePayments, IEpochFees} from "../../src/l2/InferencePayments.sol";

/// @notice Deposits, withdrawal requests and withdrawals, and settlement batches (some items invalid) for three users.
contract PaymentsHandler is Test {
    InferencePayments internal payments;
    address internal settler;
    uint256[3] internal keys = [uint256(0xA1), 0xA2, 0xA3];
    uint256 internal nextNonce;
    uint256 public ghostPaidToUsers;

    constructor(InferencePayments p, address settler_) {
        payments = p;
        settler = settler_;
    }

    function deposit(uint8 who, uint256 amount) external {
        address u = vm.addr(keys[who % 3]);
        amount = bound(amount, 1, 100 ether);
        vm.deal(u, amount);
        vm.prank(u);
        payments.deposit{value: amount}();
    }

    function requestWithdrawal(uint8 who, uint256 amount) external {
        address u = vm.addr(keys[who % 3]);
        uint256 balance = payments.balanceOf(u);
        if (balance == 0) return;
        vm.prank(u);
        payments.requestWithdrawal(bound(amount, 1, balance));
    }

    function withdraw(uint8 who) external {
        address u = vm.addr(keys[who % 3]);
        uint256 before = u.balance;
        vm.prank(u);
        try payments.withdraw() {
            ghostPaidToUsers += u.balance - before;
        } catch {}
    }

    function settle(uint8 who, uint256 fee, uint256 maxFee, bool reuseNonce, bool badSigner) external {
        uint256 key = keys[who % 3];
        uint256 nonce = reuseNonce && nextNonce > 0 ? nextNonce - 1 : nextNonce++;
        maxFee = bound(maxFee, 0, 10 ether);
        fee = bound(fee, 0, 11 ether);
        InferencePayments.Authorization memory a =
            InferencePayments.Authorization(vm.addr(key), 1, maxFee, nonce, uint64(block.timestamp + 60));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(badSigner ? 0xBAD : key, payments.authorizationDigest(a));
        InferencePayments.Charge[] memory cs = new InferencePayments.Charge[](1);
        cs[0] = InferencePayments.Charge(a, abi.encodePacked(r, s, v), fee, keccak256(abi.encode(nonce)));
        vm.prank(settler);
        payments.settle(cs);
    }

    function warp(uint256 secs) external {
        vm.warp(block.timestamp + bound(secs, 0, 2 days));
    }
}

contract InferencePaymentsInvariantTest is Test {
    AttributionRewards internal rewards;
    InferencePayments internal payments;
    PaymentsHandler internal handler;
    address[3] internal users;

    function setUp() public {
        vm.warp(1_700_000_000);
        address gov = makeAddr("gov");
        address settler = makeAddr("settler");
        rewards = new AttributionRewards(gov, gov, gov, 1 days, AttributionRewards.Split(5000, 2500, 1500, 1000));
        payments = new InferencePayments(gov, settler, IEpochFees(address(rewards)), 0, 1 hours, 1 days);
        handler = new PaymentsHandler(payments, settler);
        users = [vm.addr(0xA1), vm.addr(0xA2), vm.addr(0xA3)];
        targetContract(address(handler));
    }

    /// @notice deposits = Σ balances + charged + withdrawn, and the contract holds exactly Σ balances.
    function invariant_DepositsAccountedFor() public view {
        uint256 balances;
        for (uint256 i = 0; i < 3; ++i) {
            balances += payments.balanceOf(users[i]);
        }
        assertEq(payments.totalDeposited(), balances + payments.totalCharged() + payments.totalWithdrawn(), "sum");
        assertEq(address(payments).balance, balances, "held");
        assertEq(address(rewards).balance, payments.totalCharged(), "charged reached rewards");
        assertEq(payments.totalWithdrawn(), handler.ghostPaidToUsers(), "withdrawn paid");
    }
}
