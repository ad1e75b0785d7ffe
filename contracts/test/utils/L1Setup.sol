// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "./Test.sol";
import {OpenToken} from "../../src/l1/OpenToken.sol";
import {OpenAllocation} from "../../src/l1/OpenAllocation.sol";
import {OpenVestingWallet} from "../../src/l1/OpenVestingWallet.sol";
import {OpenGovernor} from "../../src/l1/OpenGovernor.sol";
import {StakingManager} from "../../src/l1/StakingManager.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

/// @notice The L1 system as the deploy script wires it, with test actors as the non-vesting recipients.
abstract contract L1Setup is Test {
    OpenToken internal token;
    TimelockController internal timelock;
    OpenGovernor internal governor;
    StakingManager internal staking;
    OpenVestingWallet internal teamVesting;
    OpenVestingWallet internal investorVesting;

    address internal team = makeAddr("team");
    address internal investors = makeAddr("investors");
    address internal ecosystem = makeAddr("ecosystem");
    address internal liquidity = makeAddr("liquidity");

    uint64 internal constant CLIFF = 365 days;
    uint64 internal constant VESTING = 4 * 365 days;
    uint64 internal constant UNBONDING = 7 days;
    uint16 internal constant CHALLENGER_BPS = 1_000;

    function _deployL1() internal {
        vm.warp(1_700_000_000);
        uint64 start = uint64(block.timestamp);
        teamVesting = new OpenVestingWallet(team, start, VESTING, CLIFF);
        investorVesting = new OpenVestingWallet(investors, start, VESTING, CLIFF);

        address[] memory none = new address[](0);
        address[] memory anyone = new address[](1); // address(0): anyone may execute
        timelock = new TimelockController(1 days, none, anyone, address(this));

        token = new OpenToken(
            OpenAllocation.defaults(),
            OpenAllocation.Recipients({
                community: address(timelock),
                investors: address(investorVesting),
                team: address(teamVesting),
                ecosystem: ecosystem,
                liquidity: liquidity
            })
        );
        governor = new OpenGovernor(
            IVotes(address(token)),
            timelock,
            1 days, // the governor's DEFAULT_* values
            2 weeks,
            100e18,
            25
        );
        timelock.grantRole(timelock.PROPOSER_ROLE(), address(governor));
        timelock.grantRole(timelock.CANCELLER_ROLE(), address(governor));
        timelock.renounceRole(timelock.DEFAULT_ADMIN_ROLE(), address(this));

        staking = new StakingManager(token, address(timelock), address(timelock), UNBONDING, CHALLENGER_BPS);
    }
}
