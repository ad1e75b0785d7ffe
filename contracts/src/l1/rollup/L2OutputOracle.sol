// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {StakingManager} from "../StakingManager.sol";
import {RollupTypes} from "../../libraries/RollupHashing.sol";

/// @title L2OutputOracle
/// @notice L2 output roots on L1, with bonded proposals and challenges ("stage 1" with a guardian).
/// The read and propose interface is OP Stack's L2OutputOracle (revert strings included: viem's OP Stack actions match
/// on them), so OP tooling reads it. What differs:
/// - Only an active `OutputProposer` staker in `StakingManager` (at or above the governance minimum) may propose.
/// - Within the challenge window (FINALIZATION_PERIOD_SECONDS after a proposal) anyone bonding `challengeBond` OPEN may
///   challenge an output, naming the root they claim. The guardian (governance's appointee, the L1 timelock by default)
///   decides before the challenge's deadline; a challenge left undecided past it wins.
/// - A won challenge deletes the output and every later one (withdrawals proven against them must be proven again),
///   slashes the proposer through `StakingManager` (the challenger gets its share of the slash) and returns the bond.
///   A lost challenge forfeits its bond to the staking treasury.
/// An output is final once its window has passed with no challenge open on it; the portal finalizes only against those.
/// Trust: the guardian can decide any challenge either way; permissionless fault proofs are a later step.
contract L2OutputOracle is Ownable2Step, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @notice Lifecycle of a challenge.
    enum ChallengeStatus {
        None,
        Open,
        ChallengerWon,
        ProposerWon,
        Moot // the output was already deleted by another challenge: bond returned, nobody slashed
    }

    /// @notice A challenge of one output.
    struct Challenge {
        address challenger;
        ChallengeStatus status;
        uint64 deadline; // the guardian decides by then; afterwards the challenger wins
        uint256 outputIndex;
        bytes32 outputRoot; // the challenged root
        uint128 outputTimestamp; // with index and root, identifies the challenged proposal
        bytes32 claimedRoot; // the root the challenger says is right
        uint256 bond;
    }

    /// @notice L2 blocks between proposals.
    uint256 public immutable SUBMISSION_INTERVAL;
    /// @notice Seconds per L2 block.
    uint256 public immutable L2_BLOCK_TIME;
    /// @notice Challenge window, and the least age of an output before withdrawals against it finalize.
    uint256 public immutable FINALIZATION_PERIOD_SECONDS;
    /// @notice The first L2 block an output may follow.
    uint256 public immutable startingBlockNumber;
    /// @notice L2 timestamp of `startingBlockNumber`.
    uint256 public immutable startingTimestamp;
    /// @notice Where proposers stake and are slashed.
    StakingManager public immutable staking;
    /// @notice The bond token (OPEN, the staking token).
    IERC20 public immutable token;

    /// @notice Decides challenges (the L1 timelock by default).
    address public guardian;
    /// @notice OPEN a challenger bonds per challenge.
    uint256 public challengeBond;
    /// @notice Seconds the guardian has to decide a challenge.
    uint64 public resolutionPeriod;
    /// @notice OPEN slashed from a proposer whose output loses a challenge (capped by its stake).
    uint256 public slashAmount;

    /// @notice Proposed outputs, by index.
    RollupTypes.OutputProposal[] internal l2Outputs;
    /// @notice Who proposed each output (parallel to `l2Outputs`).
    address[] internal proposers;
    /// @notice Challenges by id (ids start at 1).
    mapping(uint256 => Challenge) internal _challenges;
    /// @notice Number of challenges so far (the last id).
    uint256 public challengeCount;
    /// @notice Open challenges per proposal (keyed by index, root and timestamp, so a re-proposal starts clean).
    mapping(bytes32 => uint256) public openChallenges;

    /// @notice An output was proposed.
    event OutputProposed(
        bytes32 indexed outputRoot, uint256 indexed l2OutputIndex, uint256 indexed l2BlockNumber, uint256 l1Timestamp
    );
    /// @notice Outputs from `newNextOutputIndex` on were deleted.
    event OutputsDeleted(uint256 indexed prevNextOutputIndex, uint256 indexed newNextOutputIndex);
    /// @notice An output was challenged.
    event OutputChallenged(
        uint256 indexed challengeId,
        uint256 indexed l2OutputIndex,
        address indexed challenger,
        bytes32 outputRoot,
        bytes32 claimedRoot,
        uint256 bond,
        uint64 deadline
    );
    /// @notice A challenge was resolved.
    event ChallengeResolved(uint256 indexed challengeId, ChallengeStatus status, uint256 slashed);
    event GuardianSet(address guardian);
    event ChallengeBondSet(uint256 bond);
    event ResolutionPeriodSet(uint64 period);
    event SlashAmountSet(uint256 amount);

    error NotProposer(address caller);
    error NotGuardian(address caller);
    error ZeroAddress();
    error InvalidParameter(string name);
    error UnknownOutput(uint256 index);
    error ChallengeWindowClosed(uint256 index);
    error ClaimMatchesOutput();
    error ChallengeNotOpen(uint256 challengeId);
    error DeadlinePassed(uint256 challengeId);
    error DeadlineNotPassed(uint256 challengeId);

    constructor(
        uint256 submissionInterval_,
        uint256 l2BlockTime_,
        uint256 startingBlockNumber_,
        uint256 startingTimestamp_,
        uint256 finalizationPeriodSeconds_,
        StakingManager staking_,
        address owner_,
        address guardian_,
        uint256 challengeBond_,
        uint64 resolutionPeriod_,
        uint256 slashAmount_
    ) Ownable(owner_) {
        if (submissionInterval_ == 0) revert InvalidParameter("submissionInterval");
        if (l2BlockTime_ == 0) revert InvalidParameter("l2BlockTime");
        if (address(staking_) == address(0)) revert ZeroAddress();
        SUBMISSION_INTERVAL = submissionInterval_;
        L2_BLOCK_TIME = l2BlockTime_;
        startingBlockNumber = startingBlockNumber_;
        startingTimestamp = startingTimestamp_;
        FINALIZATION_PERIOD_SECONDS = finalizationPeriodSeconds_;
        staking = staking_;
        token = staking_.token();
        _setGuardian(guardian_);
        _setChallengeBond(challengeBond_);
        _setResolutionPeriod(resolutionPeriod_);
        _setSlashAmount(slashAmount_);
    }

    // ---------------------------------------------------------------- proposals (OP Stack interface)

    /// @notice Proposes the output root of L2 block `l2BlockNumber` (which must be `nextBlockNumber()`), optionally
    /// pinned to an L1 block hash so that it is void on another L1 fork.
    function proposeL2Output(bytes32 outputRoot, uint256 l2BlockNumber, bytes32 l1BlockHash, uint256 l1BlockNumber)
        external
        payable
    {
        if (!staking.isActiveStaker(msg.sender, StakingManager.Role.OutputProposer)) revert NotProposer(msg.sender);
        require(msg.value == 0, "L2OutputOracle: proposals carry no value");
        require(
            l2BlockNumber == nextBlockNumber(),
            "L2OutputOracle: block number must be equal to next expected block number"
        );
        require(computeL2Timestamp(l2BlockNumber) < block.timestamp, "L2OutputOracle: cannot propose L2 output in the future");
        require(outputRoot != bytes32(0), "L2OutputOracle: L2 output proposal cannot be the zero hash");
        if (l1BlockHash != bytes32(0)) {
            require(
                blockhash(l1BlockNumber) == l1BlockHash,
                "L2OutputOracle: block hash does not match the hash at the expected height"
            );
        }
        emit OutputProposed(outputRoot, l2Outputs.length, l2BlockNumber, block.timestamp);
        l2Outputs.push(
            RollupTypes.OutputProposal({
                outputRoot: outputRoot, timestamp: uint128(block.timestamp), l2BlockNumber: uint128(l2BlockNumber)
            })
        );
        proposers.push(msg.sender);
    }

    /// @notice The output at `l2OutputIndex`.
    function getL2Output(uint256 l2OutputIndex) external view returns (RollupTypes.OutputProposal memory) {
        return l2Outputs[l2OutputIndex];
    }

    /// @notice Index of the first output at or after L2 block `l2BlockNumber`.
    function getL2OutputIndexAfter(uint256 l2BlockNumber) public view returns (uint256) {
        require(l2Outputs.length > 0, "L2OutputOracle: cannot get output as no outputs have been proposed yet");
        require(
            l2Outputs[l2Outputs.length - 1].l2BlockNumber >= l2BlockNumber,
            "L2OutputOracle: cannot get output for a block that has not been proposed"
        );
        uint256 lo = 0;
        uint256 hi = l2Outputs.length;
        while (lo < hi) {
            uint256 mid = (lo + hi) / 2;
            if (l2Outputs[mid].l2BlockNumber < l2BlockNumber) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// @notice The first output at or after L2 block `l2BlockNumber`.
    function getL2OutputAfter(uint256 l2BlockNumber) external view returns (RollupTypes.OutputProposal memory) {
        return l2Outputs[getL2OutputIndexAfter(l2BlockNumber)];
    }

    /// @notice Index of the latest output (reverts when there is none).
    function latestOutputIndex() external view returns (uint256) {
        return l2Outputs.length - 1;
    }

    /// @notice Index the next output will get.
    function nextOutputIndex() public view returns (uint256) {
        return l2Outputs.length;
    }

    /// @notice L2 block of the latest output, or `startingBlockNumber` when there is none.
    function latestBlockNumber() public view returns (uint256) {
        return l2Outputs.length == 0 ? startingBlockNumber : l2Outputs[l2Outputs.length - 1].l2BlockNumber;
    }

    /// @notice L2 block the next output must commit to.
    function nextBlockNumber() public view returns (uint256) {
        return latestBlockNumber() + SUBMISSION_INTERVAL;
    }

    /// @notice L2 timestamp of L2 block `l2BlockNumber`.
    function computeL2Timestamp(uint256 l2BlockNumber) public view returns (uint256) {
        return startingTimestamp + (l2BlockNumber - startingBlockNumber) * L2_BLOCK_TIME;
    }

    /// @notice Who proposed the output at `l2OutputIndex`.
    function proposerOf(uint256 l2OutputIndex) external view returns (address) {
        if (l2OutputIndex >= l2Outputs.length) revert UnknownOutput(l2OutputIndex);
        return proposers[l2OutputIndex];
    }

    /// @notice Whether withdrawals may finalize against the output at `l2OutputIndex`: it exists, its challenge window
    /// has passed and no challenge is open on it.
    function isOutputFinalized(uint256 l2OutputIndex) external view returns (bool) {
        if (l2OutputIndex >= l2Outputs.length) return false;
        RollupTypes.OutputProposal memory p = l2Outputs[l2OutputIndex];
        return block.timestamp > p.timestamp + FINALIZATION_PERIOD_SECONDS
            && openChallenges[_proposalKey(l2OutputIndex, p)] == 0;
    }

    // OP Stack's lower-case getters.
    function submissionInterval() external view returns (uint256) {
        return SUBMISSION_INTERVAL;
    }

    function l2BlockTime() external view returns (uint256) {
        return L2_BLOCK_TIME;
    }

    function finalizationPeriodSeconds() external view returns (uint256) {
        return FINALIZATION_PERIOD_SECONDS;
    }

    /// @notice Semantic version (1.x: the pre-fault-proof oracle interface).
    function version() external pure returns (string memory) {
        return "1.8.0";
    }

    // ---------------------------------------------------------------- challenges

    /// @notice Challenges the output at `l2OutputIndex`, claiming `claimedRoot` is the right root; bonds `challengeBond`.
    function challenge(uint256 l2OutputIndex, bytes32 claimedRoot) external nonReentrant returns (uint256 challengeId) {
        if (l2OutputIndex >= l2Outputs.length) revert UnknownOutput(l2OutputIndex);
        RollupTypes.OutputProposal memory p = l2Outputs[l2OutputIndex];
        if (block.timestamp > p.timestamp + FINALIZATION_PERIOD_SECONDS) revert ChallengeWindowClosed(l2OutputIndex);
        if (claimedRoot == p.outputRoot) revert ClaimMatchesOutput();
        uint64 deadline = uint64(block.timestamp) + resolutionPeriod;
        uint256 bond = challengeBond;
        challengeId = ++challengeCount;
        _challenges[challengeId] = Challenge({
            challenger: msg.sender,
            status: ChallengeStatus.Open,
            deadline: deadline,
            outputIndex: l2OutputIndex,
            outputRoot: p.outputRoot,
            outputTimestamp: p.timestamp,
            claimedRoot: claimedRoot,
            bond: bond
        });
        openChallenges[_proposalKey(l2OutputIndex, p)] += 1;
        emit OutputChallenged(challengeId, l2OutputIndex, msg.sender, p.outputRoot, claimedRoot, bond, deadline);
        if (bond != 0) token.safeTransferFrom(msg.sender, address(this), bond);
    }

    /// @notice The guardian decides an open challenge before its deadline.
    function resolve(uint256 challengeId, bool challengerWins) external nonReentrant {
        if (msg.sender != guardian) revert NotGuardian(msg.sender);
        Challenge storage c = _open(challengeId);
        if (block.timestamp > c.deadline) revert DeadlinePassed(challengeId);
        _settle(challengeId, c, challengerWins);
    }

    /// @notice Settles a challenge the guardian left undecided past its deadline: the challenger wins. Anyone may call.
    function resolveExpired(uint256 challengeId) external nonReentrant {
        Challenge storage c = _open(challengeId);
        if (block.timestamp <= c.deadline) revert DeadlineNotPassed(challengeId);
        _settle(challengeId, c, true);
    }

    /// @notice Challenge `challengeId`.
    function challenges(uint256 challengeId) external view returns (Challenge memory) {
        return _challenges[challengeId];
    }

    // ---------------------------------------------------------------- governance

    function setGuardian(address guardian_) external onlyOwner {
        _setGuardian(guardian_);
    }

    function setChallengeBond(uint256 bond) external onlyOwner {
        _setChallengeBond(bond);
    }

    function setResolutionPeriod(uint64 period) external onlyOwner {
        _setResolutionPeriod(period);
    }

    function setSlashAmount(uint256 amount) external onlyOwner {
        _setSlashAmount(amount);
    }

    // ---------------------------------------------------------------- internal

    function _open(uint256 challengeId) private view returns (Challenge storage c) {
        c = _challenges[challengeId];
        if (c.status != ChallengeStatus.Open) revert ChallengeNotOpen(challengeId);
    }

    function _settle(uint256 challengeId, Challenge storage c, bool challengerWins) private {
        RollupTypes.OutputProposal memory challenged = RollupTypes.OutputProposal({
            outputRoot: c.outputRoot, timestamp: c.outputTimestamp, l2BlockNumber: 0
        });
        openChallenges[_proposalKey(c.outputIndex, challenged)] -= 1;
        bool stillThere = c.outputIndex < l2Outputs.length && l2Outputs[c.outputIndex].outputRoot == c.outputRoot
            && l2Outputs[c.outputIndex].timestamp == c.outputTimestamp;
        uint256 bond = c.bond;
        if (!stillThere) {
            c.status = ChallengeStatus.Moot;
            emit ChallengeResolved(challengeId, ChallengeStatus.Moot, 0);
            if (bond != 0) token.safeTransfer(c.challenger, bond);
            return;
        }
        if (!challengerWins) {
            c.status = ChallengeStatus.ProposerWon;
            emit ChallengeResolved(challengeId, ChallengeStatus.ProposerWon, 0);
            if (bond != 0) token.safeTransfer(staking.treasury(), bond);
            return;
        }
        c.status = ChallengeStatus.ChallengerWon;
        address proposer = proposers[c.outputIndex];
        _deleteFrom(c.outputIndex);
        uint256 slashed = _slash(proposer, challengeId, c.challenger);
        emit ChallengeResolved(challengeId, ChallengeStatus.ChallengerWon, slashed);
        if (bond != 0) token.safeTransfer(c.challenger, bond);
    }

    /// @dev Deletes the output at `index` and every later one.
    function _deleteFrom(uint256 index) private {
        uint256 prevNext = l2Outputs.length;
        assembly ("memory-safe") {
            sstore(l2Outputs.slot, index)
            sstore(proposers.slot, index)
        }
        emit OutputsDeleted(prevNext, index);
    }

    /// @dev Slashes `proposer` by `slashAmount` (capped by its stake); the challenger gets the staking share.
    function _slash(address proposer, uint256 challengeId, address challenger) private returns (uint256) {
        if (slashAmount == 0) return 0;
        uint256 slashId = staking.proposeSlash(
            proposer,
            StakingManager.Role.OutputProposer,
            slashAmount,
            keccak256(abi.encode(address(this), challengeId)),
            challenger
        );
        return staking.executeSlash(slashId);
    }

    function _proposalKey(uint256 index, RollupTypes.OutputProposal memory p) private pure returns (bytes32) {
        return keccak256(abi.encode(index, p.outputRoot, p.timestamp));
    }

    function _setGuardian(address guardian_) private {
        if (guardian_ == address(0)) revert ZeroAddress();
        guardian = guardian_;
        emit GuardianSet(guardian_);
    }

    function _setChallengeBond(uint256 bond) private {
        challengeBond = bond;
        emit ChallengeBondSet(bond);
    }

    function _setResolutionPeriod(uint64 period) private {
        if (period == 0 || period > 30 days) revert InvalidParameter("resolutionPeriod");
        resolutionPeriod = period;
        emit ResolutionPeriodSet(period);
    }

    function _setSlashAmount(uint256 amount) private {
        slashAmount = amount;
        emit SlashAmountSet(amount);
    }
}
