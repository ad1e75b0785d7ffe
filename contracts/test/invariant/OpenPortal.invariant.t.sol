// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../utils/Test.sol";
import {RollupSetup} from "../utils/RollupSetup.sol";
import {TrieVectors} from "../fixtures/TrieVectors.sol";
import {OpenToken} from "../../src/l1/OpenToken.sol";
import {StakingManager} from "../../src/l1/StakingManager.sol";
import {OpenPortal} from "../../src/l1/rollup/OpenPortal.sol";
import {L2OutputOracle} from "../../src/l1/rollup/L2OutputOracle.sol";
import {RollupHashing, RollupTypes} from "../../src/libraries/RollupHashing.sol";

/// @notice Drives the portal and the oracle: deposits, proposals (right and wrong), challenges decided either way or
/// left to expire, proofs and finalizations of the vectors' three withdrawals, pauses and time.
contract BridgeHandler is Test {
    OpenPortal internal portal;
    L2OutputOracle internal oracle;
    OpenToken internal token;
    address internal user;
    address internal proposer;
    address internal challenger;
    address internal guardian;
    bytes32 internal goodRoot;
    uint256 public ghostDeposited;
    uint256 public ghostReleased;

    constructor(OpenPortal p, L2OutputOracle o, address[4] memory actors, bytes32 good) {
        portal = p;
        oracle = o;
        token = OpenToken(address(p.token()));
        (user, proposer, challenger, guardian) = (actors[0], actors[1], actors[2], actors[3]);
        goodRoot = good;
    }

    function deposit(uint256 amount) external {
        if (portal.paused()) return;
        amount = bound(amount, 0, token.balanceOf(user));
        vm.roll(block.number + 1);
        vm.prank(user);
        portal.depositERC20Transaction(user, amount, 0, 100_000, false, "");
        ghostDeposited += amount;
    }

    function propose(bool good) external {
        if (!oracle.staking().isActiveStaker(proposer, StakingManager.Role.OutputProposer)) return;
        uint256 next = oracle.nextBlockNumber();
        uint256 t = oracle.computeL2Timestamp(next);
        if (block.timestamp <= t) vm.warp(t + 1);
        vm.prank(proposer);
        oracle.proposeL2Output(good ? goodRoot : keccak256(abi.encode(next)), next, bytes32(0), 0);
    }

    function challengeLatest(bool decide, bool challengerWins) external {
        uint256 n = oracle.nextOutputIndex();
        if (n == 0) return;
        RollupTypes.OutputProposal memory p = oracle.getL2Output(n - 1);
        if (block.timestamp > p.timestamp + oracle.FINALIZATION_PERIOD_SECONDS()) return;
        if (token.balanceOf(challenger) < oracle.challengeBond()) return;
        vm.prank(challenger);
        uint256 id = oracle.challenge(n - 1, keccak256("claim"));
        if (decide) {
            vm.prank(guardian);
            oracle.resolve(id, challengerWins);
        } else {
            vm.warp(block.timestamp + oracle.resolutionPeriod() + 1);
            oracle.resolveExpired(id);
        }
    }

    function prove(uint8 which) external {
        uint256 n = oracle.nextOutputIndex();
        if (n == 0 || portal.paused() || oracle.getL2Output(n - 1).outputRoot != goodRoot) return;
        RollupTypes.WithdrawalTransaction memory w = _wd(which % 3);
        bytes32 hash = RollupHashing.withdrawalHash(w);
        if (portal.finalizedWithdrawals(hash)) return;
        (bytes32 root,, uint128 index) = portal.provenWithdrawals(hash);
        if (root != bytes32(0) && index < n && oracle.getL2Output(index).outputRoot == root) return;
        portal.proveWithdrawalTransaction(w, n - 1, _rootProof(), _proof(which % 3));
    }

    function finalize(uint8 which) external {
        RollupTypes.WithdrawalTransaction memory w = _wd(which % 3);
        bytes32 hash = RollupHashing.withdrawalHash(w);
        (bytes32 root, uint128 provenAt, uint128 index) = portal.provenWithdrawals(hash);
        if (portal.paused() || provenAt == 0 || portal.finalizedWithdrawals(hash)) return;
        if (index >= oracle.nextOutputIndex() || oracle.getL2Output(index).outputRoot != root) return;
        vm.warp(block.timestamp + oracle.FINALIZATION_PERIOD_SECONDS() + 1);
        if (!oracle.isOutputFinalized(index) || portal.escrowed() < w.value) return;
        portal.finalizeWithdrawalTransaction(w);
        ghostReleased += w.value;
    }

    function togglePause() external {
        vm.startPrank(guardian);
        if (portal.paused()) portal.unpause();
        else portal.pause();
        vm.stopPrank();
    }

    function warp(uint256 secs) external {
        vm.warp(block.timestamp + bound(secs, 0, 2 days));
    }

    function _rootProof() internal pure returns (RollupTypes.OutputRootProof memory) {
        return RollupTypes.OutputRootProof(bytes32(0), keccak256("state"), TrieVectors.STORAGE_ROOT, keccak256("block"));
    }

    function _wd(uint256 i) internal pure returns (RollupTypes.WithdrawalTransaction memory) {
        if (i == 0) {
            return RollupTypes.WithdrawalTransaction(
                TrieVectors.NONCE_0, TrieVectors.SENDER, TrieVectors.TARGET, TrieVectors.VALUE_0, TrieVectors.GAS_0, TrieVectors.DATA_0
            );
        }
        if (i == 1) {
            return RollupTypes.WithdrawalTransaction(
                TrieVectors.NONCE_1, TrieVectors.SENDER, TrieVectors.TARGET, TrieVectors.VALUE_1, TrieVectors.GAS_1, TrieVectors.DATA_1
            );
        }
        return RollupTypes.WithdrawalTransaction(
            TrieVectors.NONCE_2, TrieVectors.SENDER, TrieVectors.TARGET, TrieVectors.VALUE_2, TrieVectors.GAS_2, TrieVectors.DATA_2
        );
    }

    function _proof(uint256 i) internal pure returns (bytes[] memory) {
        if (i == 0) return TrieVectors.proof0();
        if (i == 1) return TrieVectors.proof1();
        return TrieVectors.proof2();
    }
}

contract OpenPortalInvariantTest is RollupSetup {
    BridgeHandler internal handler;

    function setUp() public {
        _deployRollup();
        bytes32 good = RollupHashing.outputRoot(_rootProof(TrieVectors.STORAGE_ROOT));
        handler = new BridgeHandler(portal, oracle, [user, proposer, challenger, guardian], good);
        targetContract(address(handler));
    }

    /// @notice Escrow equals OPEN deposited minus OPEN released, and the portal holds exactly that.
    function invariant_escrowEqualsNetDeposits() public view {
        assertEq(portal.escrowed(), handler.ghostDeposited() - handler.ghostReleased(), "escrow");
        assertEq(token.balanceOf(address(portal)), portal.escrowed(), "portal balance");
    }

    /// @notice Withdrawals never release more than was deposited.
    function invariant_claimsNeverExceedEscrow() public view {
        assertLe(portal.totalWithdrawn(), portal.totalDeposited(), "withdrawn <= deposited");
    }

    /// @notice Slashes never take more than the proposer staked.
    function invariant_slashNeverExceedsStake() public view {
        StakingManager.Position memory p = staking.positionOf(proposer, PROPOSER_ROLE);
        assertEq(p.active + p.unbonding + staking.totalSlashed(), STAKE, "stake accounted");
        assertLe(staking.totalSlashed(), STAKE, "slashed <= staked");
    }
}
