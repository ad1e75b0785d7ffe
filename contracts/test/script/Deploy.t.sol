// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../utils/Test.sol";
import {DeployL1} from "../../script/DeployL1.s.sol";
import {DeployL2} from "../../script/DeployL2.s.sol";
import {StakingManager} from "../../src/l1/StakingManager.sol";

/// @notice Runs the deploy scripts' deployment logic (without broadcasting or writing files) from a harness that
/// stands in for the deployer account.
contract DeployL1Harness is DeployL1 {
    function deploy() external returns (Deployed memory) {
        return _deploy(address(this));
    }

    function stakeProposer(Deployed memory d, uint256 deployerKey) external {
        _stakeProposer(d, deployerKey);
    }
}

contract DeployL2Harness is DeployL2 {
    function deploy() external returns (Deployed memory) {
        return _deploy(address(this));
    }
}

contract DeployScriptsTest is Test {
    /// @dev The timelock reads a scheduled timestamp of 1 as "done": start from a real clock, as every chain has.
    function setUp() public {
        vm.warp(1_700_000_000);
    }
    function test_DeployL1WiresGovernance() public {
        DeployL1Harness h = new DeployL1Harness();
        DeployL1.Deployed memory d = h.deploy();
        assertEq(d.token.totalSupply(), 1_000_000_000e18, "supply");
        assertEq(d.token.balanceOf(address(d.timelock)), 517_100_000e18, "community to timelock");
        assertEq(d.token.balanceOf(address(d.teamVesting)), 150_000_000e18, "team vesting");
        assertEq(d.token.balanceOf(address(d.investorVesting)), 182_900_000e18, "investor vesting");
        assertEq(d.token.balanceOf(address(h)), 150_000_000e18, "ecosystem + liquidity to the deployer by default");
        assertEq(d.teamVesting.cliff(), d.teamVesting.start() + 365 days, "cliff");
        assertEq(d.teamVesting.duration(), 4 * 365 days, "duration");
        assertEq(d.timelock.getMinDelay(), 1 days, "timelock delay");
        assertTrue(d.timelock.hasRole(d.timelock.PROPOSER_ROLE(), address(d.governor)), "governor proposes");
        assertTrue(d.timelock.hasRole(d.timelock.CANCELLER_ROLE(), address(d.governor)), "governor cancels");
        assertTrue(d.timelock.hasRole(d.timelock.EXECUTOR_ROLE(), address(0)), "anyone executes");
        assertFalse(d.timelock.hasRole(d.timelock.DEFAULT_ADMIN_ROLE(), address(h)), "deployer renounced admin");
        assertEq(d.governor.votingDelay(), 1 days);
        assertEq(d.governor.votingPeriod(), 2 weeks);
        assertEq(d.governor.proposalThreshold(), 100e18);
        assertEq(d.governor.quorumNumerator(), 25);
        assertEq(address(d.governor.token()), address(d.token));
        assertEq(d.staking.owner(), address(d.timelock), "staking owned by timelock");
        assertEq(d.staking.treasury(), address(d.timelock), "timelock is the treasury");
        assertEq(uint256(d.staking.unbondingPeriod()), 7 days);
        assertEq(uint256(d.staking.challengerBps()), 1_000);
        assertFalse(d.staking.isActiveStaker(address(h), StakingManager.Role.Sequencer));
    }

    function test_DeployL1WiresBridge() public {
        DeployL1Harness h = new DeployL1Harness();
        DeployL1.Deployed memory d = h.deploy();
        assertTrue(d.staking.isSlasher(address(d.oracle)), "oracle slashes");
        assertEq(d.staking.minStake(StakingManager.Role.OutputProposer), 1_000e18, "proposer minimum");
        assertEq(d.staking.pendingOwner(), address(0), "timelock accepted staking");
        assertFalse(d.timelock.hasRole(d.timelock.PROPOSER_ROLE(), address(h)), "deployer no longer proposes");
        assertFalse(d.timelock.hasRole(d.timelock.CANCELLER_ROLE(), address(h)), "deployer no longer cancels");
        assertEq(d.oracle.owner(), address(d.timelock), "oracle owner");
        assertEq(d.oracle.guardian(), address(d.timelock), "guardian");
        assertEq(d.oracle.SUBMISSION_INTERVAL(), 10);
        assertEq(d.oracle.FINALIZATION_PERIOD_SECONDS(), 7 days);
        assertEq(address(d.portal.L2_ORACLE()), address(d.oracle), "portal reads the oracle");
        assertEq(d.portal.owner(), address(d.timelock), "portal owner");
        assertEq(address(d.portal.token()), address(d.token), "portal escrows OPEN");
    }

    function test_StakeProposerStakesFromTheDeployer() public {
        DeployL1Harness h = new DeployL1Harness();
        DeployL1.Deployed memory d = h.deploy();
        uint256 deployerKey = 0xA11CE;
        address deployer = vm.addr(deployerKey);
        vm.prank(address(h));
        d.token.transfer(deployer, 5_000e18);
        h.stakeProposer(d, deployerKey);
        address proposer = vm.addr(0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6);
        assertTrue(d.staking.isActiveStaker(proposer, StakingManager.Role.OutputProposer), "proposer staked");
        assertEq(d.token.balanceOf(deployer), 4_000e18, "stake came from the deployer");
    }

    function test_DeployL2SetsOwnersAndSplit() public {
        DeployL2Harness h = new DeployL2Harness();
        DeployL2.Deployed memory d = h.deploy();
        assertEq(d.datanets.owner(), address(h), "datanets owner");
        assertEq(d.models.owner(), address(h), "models owner");
        assertEq(address(d.models.datanets()), address(d.datanets), "models read datanets");
        assertTrue(d.rewards.hasRole(d.rewards.DEFAULT_ADMIN_ROLE(), address(h)), "rewards admin");
        assertTrue(d.rewards.hasRole(d.rewards.POSTER_ROLE(), address(h)), "poster");
        assertEq(d.rewards.treasury(), address(h), "treasury");
        assertEq(uint256(d.rewards.challengeWindow()), 1 days);
        (uint16 c, uint16 m, uint16 s, uint16 p) = d.rewards.split();
        assertEq(uint256(c), 5_000);
        assertEq(uint256(m), 2_500);
        assertEq(uint256(s), 1_500);
        assertEq(uint256(p), 1_000);
    }
}
