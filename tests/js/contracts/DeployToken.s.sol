// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Vm} from "../../../contracts/test/utils/Vm.sol";
import {TestToken} from "./TestToken.sol";

/// @notice `forge script tests/js/contracts/DeployToken.s.sol --broadcast`: deploys TestToken with a supply of 1e27 from the broadcasting key.
contract DeployToken {
    Vm private constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    uint256 public constant SUPPLY = 1e27;

    function run() external returns (TestToken token) {
        vm.startBroadcast();
        token = new TestToken(SUPPLY);
        vm.stopBroadcast();
    }
}
