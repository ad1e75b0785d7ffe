// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../../utils/Test.sol";
import {FeeVault} from "../../../src/l2/predeploys/FeeVault.sol";

contract Refuser {
    receive() external payable {
        revert("no");
    }
}

contract FeeVaultTest is Test {
    FeeVault internal vault;
    address internal payee = makeAddr("payee");

    function setUp() public {
        vault = new FeeVault();
        // Genesis writes the configuration into slots 0 and 1.
        vm.store(address(vault), bytes32(uint256(0)), bytes32(uint256(uint160(payee))));
        vm.store(address(vault), bytes32(uint256(1)), bytes32(uint256(1 ether)));
    }

    function test_configReadsFromGenesisSlots() public view {
        assertEq(vault.RECIPIENT(), payee);
        assertEq(vault.recipient(), payee);
        assertEq(vault.MIN_WITHDRAWAL_AMOUNT(), 1 ether);
        assertEq(uint256(vault.WITHDRAWAL_NETWORK()), 1);
    }

    function test_withdrawSendsEverythingToTheRecipient() public {
        vm.deal(address(vault), 3 ether);
        vm.expectEmit(address(vault));
        emit FeeVault.Withdrawal(3 ether, payee, address(this));
        vault.withdraw();
        assertEq(payee.balance, 3 ether);
        assertEq(address(vault).balance, 0);
        assertEq(vault.totalProcessed(), 3 ether);
        (bool ok,) = address(vault).call{value: 2 ether}("");
        assertTrue(ok);
        vm.prank(makeAddr("anyone"));
        vault.withdraw();
        assertEq(vault.totalProcessed(), 5 ether);
    }

    function test_belowMinimumReverts() public {
        vm.deal(address(vault), 0.5 ether);
        vm.expectRevert(abi.encodeWithSelector(FeeVault.BelowMinimum.selector, 0.5 ether, 1 ether));
        vault.withdraw();
    }

    function test_refusingRecipientReverts() public {
        Refuser r = new Refuser();
        vm.store(address(vault), bytes32(uint256(0)), bytes32(uint256(uint160(address(r)))));
        vm.deal(address(vault), 2 ether);
        vm.expectRevert(FeeVault.TransferFailed.selector);
        vault.withdraw();
        assertEq(vault.totalProcessed(), 0);
    }
}
