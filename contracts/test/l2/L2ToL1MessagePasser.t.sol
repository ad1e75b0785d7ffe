// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../utils/Test.sol";
import {L2ToL1MessagePasser} from "../../src/l2/predeploys/L2ToL1MessagePasser.sol";
import {RollupHashing, RollupTypes} from "../../src/libraries/RollupHashing.sol";

contract L2ToL1MessagePasserTest is Test {
    event MessagePassed(
        uint256 indexed nonce,
        address indexed sender,
        address indexed target,
        uint256 value,
        uint256 gasLimit,
        bytes data,
        bytes32 withdrawalHash
    );
    event WithdrawerBalanceBurnt(uint256 indexed amount);

    L2ToL1MessagePasser internal passer;
    address internal alice = makeAddr("alice");

    function setUp() public {
        passer = new L2ToL1MessagePasser();
        vm.deal(alice, 10 ether);
    }

    function test_initiateWithdrawal_recordsHashAndVersionedNonce() public {
        uint256 nonce = passer.messageNonce();
        assertEq(nonce, uint256(1) << 240);
        bytes32 hash = RollupHashing.withdrawalHash(
            RollupTypes.WithdrawalTransaction(nonce, alice, address(9), 1 ether, 50_000, hex"beef")
        );
        vm.expectEmit(address(passer));
        emit MessagePassed(nonce, alice, address(9), 1 ether, 50_000, hex"beef", hash);
        vm.prank(alice);
        passer.initiateWithdrawal{value: 1 ether}(address(9), 50_000, hex"beef");
        assertTrue(passer.sentMessages(hash));
        assertEq(passer.messageNonce(), nonce + 1);
        assertEq(address(passer).balance, 1 ether);
        assertEq(passer.version(), "1.1.0");
        assertEq(uint256(passer.MESSAGE_VERSION()), 1);
    }

    function test_receive_withdrawsToSender() public {
        uint256 nonce = passer.messageNonce();
        bytes32 hash =
            RollupHashing.withdrawalHash(RollupTypes.WithdrawalTransaction(nonce, alice, alice, 2 ether, 100_000, ""));
        vm.prank(alice);
        (bool ok,) = address(passer).call{value: 2 ether}("");
        assertTrue(ok);
        assertTrue(passer.sentMessages(hash));
    }

    function test_burn_destroysTheBalance() public {
        vm.prank(alice);
        passer.initiateWithdrawal{value: 3 ether}(alice, 50_000, "");
        vm.expectEmit(address(passer));
        emit WithdrawerBalanceBurnt(3 ether);
        passer.burn();
        assertEq(address(passer).balance, 0);
    }
}
