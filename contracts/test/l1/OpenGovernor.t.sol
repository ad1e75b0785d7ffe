// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {L1Setup} from "../utils/L1Setup.sol";
import {StakingManager} from "../../src/l1/StakingManager.sol";
import {OpenGovernor} from "../../src/l1/OpenGovernor.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

contract OpenGovernorTest is L1Setup {
    address internal operator = makeAddr("operator");
    address internal challenger = makeAddr("challenger");
    address internal smallHolder = makeAddr("smallHolder");

    address[] internal targets;
    uint256[] internal values;
    bytes[] internal calldatas;

    function setUp() public {
        _deployL1();
        // Voters: ecosystem 10% + liquidity 5% + team tranche 15% (delegated from its vesting wallet) = 30% >= 25%.
        vm.prank(ecosystem);
        token.delegate(ecosystem);
        vm.prank(liquidity);
        token.delegate(liquidity);
        vm.prank(team);
        teamVesting.delegate(IVotes(address(token)), team);
        // An operator stakes for the sequencer role.
        vm.prank(ecosystem);
        require(token.transfer(operator, 10_000e18));
        vm.startPrank(operator);
        token.approve(address(staking), 10_000e18);
        staking.stake(StakingManager.Role.Sequencer, 10_000e18);
        vm.stopPrank();
        vm.prank(ecosystem);
        require(token.transfer(smallHolder, 99e18));
        vm.prank(smallHolder);
        token.delegate(smallHolder);
        vm.warp(block.timestamp + 1);
    }

    function test_Defaults() public view {
        assertEq(governor.votingDelay(), 1 days, "delay");
        assertEq(governor.votingPeriod(), 2 weeks, "period");
        assertEq(governor.proposalThreshold(), 100e18, "threshold");
        assertEq(governor.quorumNumerator(), 25, "quorum %");
        assertEq(governor.votingDelay(), governor.DEFAULT_VOTING_DELAY());
        assertEq(governor.votingPeriod(), governor.DEFAULT_VOTING_PERIOD());
        assertEq(governor.proposalThreshold(), governor.DEFAULT_PROPOSAL_THRESHOLD());
        assertEq(governor.quorumNumerator(), governor.DEFAULT_QUORUM_PERCENT());
        assertEq(timelock.getMinDelay(), 1 days, "timelock delay");
        assertEq(governor.timelock(), address(timelock));
        assertEq(governor.CLOCK_MODE(), "mode=timestamp");
        assertEq(governor.quorum(block.timestamp - 1), 250_000_000e18, "quorum = 25% of supply");
        assertTrue(governor.proposalNeedsQueuing(0), "needs queuing");
        assertEq(staking.owner(), address(timelock), "governance owns staking");
    }

    function _proposal() internal returns (string memory description) {
        // 1. a parameter change, 2. a slash (proposed and executed in the same batch), 3. a governor setting.
        targets.push(address(staking));
        values.push(0);
        calldatas.push(abi.encodeCall(StakingManager.setMinStake, (StakingManager.Role.Sequencer, 5_000e18)));
        targets.push(address(staking));
        values.push(0);
        calldatas.push(
            abi.encodeCall(
                StakingManager.proposeSlash,
                (operator, StakingManager.Role.Sequencer, 2_000e18, keccak256("double-sign"), challenger)
            )
        );
        targets.push(address(staking));
        values.push(0);
        calldatas.push(abi.encodeCall(StakingManager.executeSlash, (1)));
        targets.push(address(governor));
        values.push(0);
        calldatas.push(abi.encodeWithSignature("setVotingPeriod(uint32)", uint32(1 weeks)));
        description = "Raise sequencer minimum, slash operator, shorten voting";
    }

    function test_FullGovernanceCycle() public {
        string memory description = _proposal();
        vm.prank(ecosystem);
        uint256 id = governor.propose(targets, values, calldatas, description);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Pending), "pending");

        vm.warp(block.timestamp + 1 days + 1);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Active), "active");
        vm.prank(ecosystem);
        governor.castVote(id, 1);
        vm.prank(liquidity);
        governor.castVote(id, 1);
        vm.prank(team);
        governor.castVote(id, 2); // abstain counts towards quorum
        vm.prank(smallHolder);
        governor.castVote(id, 0);
        (uint256 against, uint256 forVotes, uint256 abstain) = governor.proposalVotes(id);
        assertEq(forVotes, 150_000_000e18 - 10_000e18 - 99e18, "for");
        assertEq(abstain, 150_000_000e18, "abstain");
        assertEq(against, 99e18, "against");

        vm.warp(block.timestamp + 2 weeks);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Succeeded), "succeeded");
        bytes32 descHash = keccak256(bytes(description));
        governor.queue(targets, values, calldatas, descHash);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Queued), "queued");

        bytes32 salt = bytes20(address(governor)) ^ descHash;
        bytes32 opId = timelock.hashOperationBatch(targets, values, calldatas, 0, salt);
        vm.expectRevert(
            abi.encodeWithSelector(
                TimelockController.TimelockUnexpectedOperationState.selector, opId, bytes32(uint256(1 << 2))
            )
        );
        governor.execute(targets, values, calldatas, descHash); // timelock delay not over: not Ready

        vm.warp(block.timestamp + 1 days + 1);
        governor.execute(targets, values, calldatas, descHash);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Executed), "executed");

        assertEq(staking.minStake(StakingManager.Role.Sequencer), 5_000e18, "parameter changed");
        assertEq(staking.positionOf(operator, StakingManager.Role.Sequencer).active, 8_000e18, "slashed");
        assertEq(token.balanceOf(challenger), 200e18, "challenger 10%");
        assertEq(token.balanceOf(address(timelock)), 517_100_000e18 + 1_800e18, "treasury 90%");
        assertTrue(staking.isActiveStaker(operator, StakingManager.Role.Sequencer), "still above new minimum");
        assertEq(governor.votingPeriod(), 1 weeks, "governor setting changed");
    }

    function test_DefeatedWithoutQuorum() public {
        string memory description = _proposal();
        vm.prank(ecosystem);
        uint256 id = governor.propose(targets, values, calldatas, description);
        vm.warp(block.timestamp + 1 days + 1);
        vm.prank(ecosystem);
        governor.castVote(id, 1); // 10% < 25% quorum
        vm.warp(block.timestamp + 2 weeks);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Defeated), "defeated");
        vm.expectRevert(
            abi.encodeWithSelector(
                IGovernor.GovernorUnexpectedProposalState.selector,
                id,
                IGovernor.ProposalState.Defeated,
                bytes32(uint256(1 << uint8(IGovernor.ProposalState.Succeeded)))
            )
        );
        governor.queue(targets, values, calldatas, keccak256(bytes(description)));
    }

    function test_ProposerCancelsPendingProposal() public {
        string memory description = _proposal();
        bytes32 descHash = keccak256(bytes(description));
        vm.prank(ecosystem);
        uint256 id = governor.propose(targets, values, calldatas, description);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorUnableToCancel.selector, id, liquidity));
        vm.prank(liquidity);
        governor.cancel(targets, values, calldatas, descHash);
        vm.prank(ecosystem);
        governor.cancel(targets, values, calldatas, descHash);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Canceled), "canceled");
        vm.warp(block.timestamp + 1 days + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IGovernor.GovernorUnexpectedProposalState.selector,
                id,
                IGovernor.ProposalState.Canceled,
                bytes32(uint256(1 << uint8(IGovernor.ProposalState.Active)))
            )
        );
        vm.prank(ecosystem);
        governor.castVote(id, 1);
    }

    function test_RevertWhen_ProposerBelowThreshold() public {
        string memory description = _proposal();
        vm.expectRevert(
            abi.encodeWithSelector(IGovernor.GovernorInsufficientProposerVotes.selector, smallHolder, 99e18, 100e18)
        );
        vm.prank(smallHolder);
        governor.propose(targets, values, calldatas, description);
    }

    function test_RevertWhen_ParametersChangedOutsideGovernance() public {
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorOnlyExecutor.selector, address(this)));
        governor.setVotingPeriod(1);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, address(this)));
        staking.setMinStake(StakingManager.Role.Sequencer, 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, address(this), timelock.PROPOSER_ROLE()
            )
        );
        timelock.schedule(address(staking), 0, "", bytes32(0), bytes32(0), 1 days);
    }

    function test_TimelockAdminRenounced() public view {
        assertFalse(timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE(), address(this)), "deployer not admin");
        assertTrue(timelock.hasRole(timelock.PROPOSER_ROLE(), address(governor)), "governor proposes");
        assertTrue(timelock.hasRole(timelock.EXECUTOR_ROLE(), address(0)), "anyone executes");
    }
}
