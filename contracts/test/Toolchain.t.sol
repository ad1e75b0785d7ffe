// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "./utils/Test.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

contract ToolchainToken is ERC20 {
    constructor(address to) ERC20("Toolchain", "TLC") {
        _mint(to, 1000 ether);
    }
}

/// @notice Proves the offline toolchain end to end: solc-js via the wrapper, OpenZeppelin via remapping, cheatcodes.
contract ToolchainTest is Test {
    ToolchainToken internal token;
    address internal alice = address(0xA11CE);
    address internal bob = address(0xB0B);

    function setUp() public {
        token = new ToolchainToken(alice);
    }

    function test_TransferMovesBalance() public {
        vm.prank(alice);
        require(token.transfer(bob, 1 ether));
        assertEq(token.balanceOf(bob), 1 ether, "bob balance");
        assertEq(token.balanceOf(alice), 999 ether, "alice balance");
    }

    function test_RevertWhen_TransferExceedsBalance() public {
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(bytes4(keccak256("ERC20InsufficientBalance(address,uint256,uint256)")), bob, 0, 1)
        );
        token.transfer(alice, 1); // forge-lint: disable-line(erc20-unchecked-transfer) reverts before returning
    }

    function testFuzz_TransferConservesSupply(uint256 amount) public {
        amount = bound(amount, 0, 1000 ether);
        vm.prank(alice);
        require(token.transfer(bob, amount));
        assertEq(token.balanceOf(alice) + token.balanceOf(bob), token.totalSupply(), "supply conserved");
    }
}
