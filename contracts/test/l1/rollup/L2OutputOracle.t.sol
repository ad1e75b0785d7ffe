// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {RollupSetup} from "../../utils/RollupSetup.sol";
import {StakingManager} from "../../../src/l1/StakingManager.sol";
import {L2OutputOracle} from "../../../src/l1/rollup/L2OutputOracle.sol";
import {RollupTypes} from "../../../src/libraries/RollupHashing.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

contract L2OutputOracleTest is RollupSetup {
    function setUp() public {
        _deployRollup();
    }

    function test_constructor_rejectsBadParameters() public {
        vm.expectRevert(abi.encodeWithSelector(L2OutputOracle.InvalidParameter.selector, "submissionInterval"));
        new L2OutputOracle(0, 2, 0, 0, 1, staking, address(this), guardian, 0, 1, 0);
        vm.expectRevert(abi.encodeWithSelector(L2OutputOracle.InvalidParameter.selector, "l2BlockTime"));
        new L2OutputOracle(1, 0, 0, 0, 1, staking, address(this), guardian, 0, 1, 0);
        vm.expectRevert(L2OutputOracle.ZeroAddress.selector);
        new L2OutputOracle(1, 2, 0, 0, 1, StakingManager(address(0)), address(this), guardian, 0, 1, 0);
        vm.expectRevert(L2OutputOracle.ZeroAddress.selector);
        new L2OutputOracle(1, 2, 0, 0, 1, staking, address(this), address(0), 0, 1, 0);
        vm.expectRevert(abi.encodeWithSelector(L2OutputOracle.InvalidParameter.selector, "resolutionPeriod"));
        new L2OutputOracle(1, 2, 0, 0, 1, staking, address(this), guardian, 0, 0, 0);
    }

    function test_getters() public view {
        assertEq(oracle.submissionInterval(), INTERVAL);
        assertEq(oracle.SUBMISSION_INTERVAL(), INTERVAL);
        assertEq(oracle.l2BlockTime(), BLOCK_TIME);
        assertEq(oracle.finalizationPeriodSeconds(), PERIOD);
        assertEq(oracle.version(), "1.8.0");
        assertEq(address(oracle.token()), address(token));
        assertEq(oracle.latestBlockNumber(), 0);
        assertEq(oracle.nextBlockNumber(), INTERVAL);
        assertEq(oracle.computeL2Timestamp(5), startTime + 10);
    }

    function test_propose_recordsOutputs() public {
        uint256 i0 = _propose(keccak256("a"));
        uint256 i1 = _propose(keccak256("b"));
        assertEq(i0, 0);
        assertEq(i1, 1);
        RollupTypes.OutputProposal memory p = oracle.getL2Output(1);
        assertEq(p.outputRoot, keccak256("b"));
        assertEq(uint256(p.l2BlockNumber), 2 * INTERVAL);
        assertEq(uint256(p.timestamp), block.timestamp);
        assertEq(oracle.latestOutputIndex(), 1);
        assertEq(oracle.latestBlockNumber(), 2 * INTERVAL);
        assertEq(oracle.proposerOf(0), proposer);
        // Every block up to an output maps to it; blocks past the last output are not proposed yet.
        assertEq(oracle.getL2OutputIndexAfter(1), 0);
        assertEq(oracle.getL2OutputIndexAfter(INTERVAL), 0);
        assertEq(oracle.getL2OutputIndexAfter(INTERVAL + 1), 1);
        assertEq(oracle.getL2OutputAfter(2 * INTERVAL).outputRoot, keccak256("b"));
        vm.expectRevert(bytes("L2OutputOracle: cannot get output for a block that has not been proposed"));
        oracle.getL2OutputIndexAfter(2 * INTERVAL + 1);
        vm.expectRevert(abi.encodeWithSelector(L2OutputOracle.UnknownOutput.selector, 2));
        oracle.proposerOf(2);
    }

    function test_getL2OutputIndexAfter_noOutputs() public {
        vm.expectRevert(bytes("L2OutputOracle: cannot get output as no outputs have been proposed yet"));
        oracle.getL2OutputIndexAfter(1);
    }

    function test_propose_onlyActiveProposerStakers() public {
        vm.warp(block.timestamp + 1000);
        vm.prank(user);
        vm.expectRevert(abi.encodeWithSelector(L2OutputOracle.NotProposer.selector, user));
        oracle.proposeL2Output(keccak256("x"), INTERVAL, bytes32(0), 0);
        // Below the governance minimum: refused.
        vm.prank(address(timelock));
        staking.setMinStake(PROPOSER_ROLE, STAKE + 1);
        vm.prank(proposer);
        vm.expectRevert(abi.encodeWithSelector(L2OutputOracle.NotProposer.selector, proposer));
        oracle.proposeL2Output(keccak256("x"), INTERVAL, bytes32(0), 0);
    }

    function test_propose_checks() public {
        vm.startPrank(proposer);
        vm.deal(proposer, 1 ether);
        vm.expectRevert(bytes("L2OutputOracle: proposals carry no value"));
        oracle.proposeL2Output{value: 1}(keccak256("x"), INTERVAL, bytes32(0), 0);
        vm.expectRevert(bytes("L2OutputOracle: block number must be equal to next expected block number"));
        oracle.proposeL2Output(keccak256("x"), INTERVAL + 1, bytes32(0), 0);
        vm.expectRevert(bytes("L2OutputOracle: cannot propose L2 output in the future"));
        oracle.proposeL2Output(keccak256("x"), INTERVAL, bytes32(0), 0);
        vm.warp(block.timestamp + 1000);
        vm.expectRevert(bytes("L2OutputOracle: L2 output proposal cannot be the zero hash"));
        oracle.proposeL2Output(bytes32(0), INTERVAL, bytes32(0), 0);
        vm.roll(100);
        vm.expectRevert(bytes("L2OutputOracle: block hash does not match the hash at the expected height"));
        oracle.proposeL2Output(keccak256("x"), INTERVAL, keccak256("not a hash"), 99);
        oracle.proposeL2Output(keccak256("x"), INTERVAL, blockhash(99), 99);
        vm.stopPrank();
        assertEq(oracle.nextOutputIndex(), 1);
    }

    function test_challenge_guardianRulesForChallenger_deletesSlashesAndPays() public {
        _propose(keccak256("good"));
        uint256 bad = _propose(keccak256("bad"));
        _propose(keccak256("after"));
        uint256 before = token.balanceOf(challenger);
        uint256 treasuryBefore = token.balanceOf(address(timelock));
        vm.prank(challenger);
        uint256 id = oracle.challenge(bad, keccak256("right"));
        assertEq(token.balanceOf(challenger), before - BOND);
        assertFalse(oracle.isOutputFinalized(bad));
        vm.prank(guardian);
        oracle.resolve(id, true);

        // The bad output and the one after it are gone; the proposer proposes again from there.
        assertEq(oracle.nextOutputIndex(), bad);
        assertEq(oracle.nextBlockNumber(), 2 * INTERVAL);
        // Slashed SLASH; challenger share CHALLENGER_BPS of it, the rest to the treasury; bond back.
        uint256 share = SLASH * CHALLENGER_BPS / 10_000;
        assertEq(staking.positionOf(proposer, PROPOSER_ROLE).active, STAKE - SLASH);
        assertEq(token.balanceOf(challenger), before + share);
        assertEq(token.balanceOf(address(timelock)), treasuryBefore + SLASH - share);
        L2OutputOracle.Challenge memory c = oracle.challenges(id);
        assertEq(uint256(c.status), uint256(L2OutputOracle.ChallengeStatus.ChallengerWon));
        // Still above the minimum after the slash: the proposer proposes the block again.
        assertEq(_propose(keccak256("right")), bad);
        assertEq(oracle.getL2Output(bad).outputRoot, keccak256("right"));
    }

    function test_challenge_lost_forfeitsBond() public {
        uint256 i = _propose(keccak256("good"));
        uint256 treasuryBefore = token.balanceOf(address(timelock));
        vm.prank(challenger);
        uint256 id = oracle.challenge(i, keccak256("wrong claim"));
        vm.prank(guardian);
        oracle.resolve(id, false);
        assertEq(token.balanceOf(address(timelock)), treasuryBefore + BOND);
        assertEq(oracle.nextOutputIndex(), 1);
        assertEq(staking.positionOf(proposer, PROPOSER_ROLE).active, STAKE);
        vm.warp(block.timestamp + PERIOD + 1);
        assertTrue(oracle.isOutputFinalized(i));
    }

    function test_challenge_undecidedPastDeadline_challengerWins() public {
        uint256 i = _propose(keccak256("bad"));
        vm.prank(challenger);
        uint256 id = oracle.challenge(i, keccak256("right"));
        vm.expectRevert(abi.encodeWithSelector(L2OutputOracle.DeadlineNotPassed.selector, id));
        oracle.resolveExpired(id);
        vm.warp(block.timestamp + RESOLUTION + 1);
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(L2OutputOracle.DeadlinePassed.selector, id));
        oracle.resolve(id, false);
        oracle.resolveExpired(id);
        assertEq(oracle.nextOutputIndex(), 0);
        assertEq(staking.positionOf(proposer, PROPOSER_ROLE).active, STAKE - SLASH);
        vm.expectRevert(abi.encodeWithSelector(L2OutputOracle.ChallengeNotOpen.selector, id));
        oracle.resolveExpired(id);
    }

    function test_challenge_ofDeletedOutput_isMoot() public {
        uint256 a = _propose(keccak256("a"));
        uint256 b = _propose(keccak256("b"));
        vm.startPrank(challenger);
        uint256 first = oracle.challenge(a, keccak256("a'"));
        uint256 second = oracle.challenge(b, keccak256("b'"));
        vm.stopPrank();
        uint256 before = token.balanceOf(challenger);
        vm.startPrank(guardian);
        oracle.resolve(first, true);
        oracle.resolve(second, true);
        vm.stopPrank();
        assertEq(uint256(oracle.challenges(second).status), uint256(L2OutputOracle.ChallengeStatus.Moot));
        // One slash only; both bonds back.
        assertEq(staking.positionOf(proposer, PROPOSER_ROLE).active, STAKE - SLASH);
        assertEq(token.balanceOf(challenger), before + 2 * BOND + SLASH * CHALLENGER_BPS / 10_000);
        // The re-proposed output at the same index starts with no open challenge.
        vm.prank(address(timelock));
        staking.setMinStake(PROPOSER_ROLE, 1);
        uint256 again = _propose(keccak256("a2"));
        assertEq(again, a);
        vm.warp(block.timestamp + PERIOD + 1);
        assertTrue(oracle.isOutputFinalized(again));
        assertFalse(oracle.isOutputFinalized(again + 1));
    }

    function test_challenge_checks() public {
        vm.expectRevert(abi.encodeWithSelector(L2OutputOracle.UnknownOutput.selector, 0));
        oracle.challenge(0, keccak256("x"));
        uint256 i = _propose(keccak256("a"));
        vm.prank(challenger);
        vm.expectRevert(L2OutputOracle.ClaimMatchesOutput.selector);
        oracle.challenge(i, keccak256("a"));
        vm.warp(block.timestamp + PERIOD + 1);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(L2OutputOracle.ChallengeWindowClosed.selector, i));
        oracle.challenge(i, keccak256("b"));
        vm.prank(user);
        vm.expectRevert(abi.encodeWithSelector(L2OutputOracle.NotGuardian.selector, user));
        oracle.resolve(1, true);
    }

    function test_challenge_zeroBondAndZeroSlash() public {
        vm.startPrank(address(timelock));
        oracle.setChallengeBond(0);
        oracle.setSlashAmount(0);
        vm.stopPrank();
        uint256 i = _propose(keccak256("a"));
        uint256 before = token.balanceOf(user);
        vm.prank(user);
        uint256 id = oracle.challenge(i, keccak256("b"));
        vm.prank(guardian);
        oracle.resolve(id, true);
        assertEq(token.balanceOf(user), before);
        assertEq(staking.positionOf(proposer, PROPOSER_ROLE).active, STAKE);
        assertEq(oracle.nextOutputIndex(), 0);
        i = _propose(keccak256("c"));
        vm.prank(user);
        id = oracle.challenge(i, keccak256("d"));
        vm.prank(guardian);
        oracle.resolve(id, false);
        assertEq(token.balanceOf(user), before);
    }

    function test_isOutputFinalized_unknownIndex() public view {
        assertFalse(oracle.isOutputFinalized(7));
    }

    function test_governance() public {
        vm.startPrank(address(timelock));
        oracle.setGuardian(user);
        oracle.setChallengeBond(5);
        oracle.setResolutionPeriod(1 hours);
        oracle.setSlashAmount(6);
        vm.expectRevert(L2OutputOracle.ZeroAddress.selector);
        oracle.setGuardian(address(0));
        vm.expectRevert(abi.encodeWithSelector(L2OutputOracle.InvalidParameter.selector, "resolutionPeriod"));
        oracle.setResolutionPeriod(31 days);
        vm.stopPrank();
        assertEq(oracle.guardian(), user);
        assertEq(oracle.challengeBond(), 5);
        assertEq(uint256(oracle.resolutionPeriod()), 1 hours);
        assertEq(oracle.slashAmount(), 6);
        vm.prank(user);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, user));
        oracle.setSlashAmount(1);
    }
}
