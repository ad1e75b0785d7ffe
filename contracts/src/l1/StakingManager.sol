// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// @title StakingManager
/// @notice Operators stake OPEN for a role (Sequencer, AttributionProver, DatanetValidator, OutputProposer). Unstaking is two-step:
/// request (the amount starts unbonding), then withdraw once the unbonding period has passed. Governance (the owner,
/// i.e. the timelock) or an authorized dispute contract can propose a slash, which freezes the staker's withdrawals
/// until it is executed or cancelled. An executed slash takes from the role's active stake first, then from its
/// unbonding stake, and pays a challenger share (bps) to the challenger and the rest to the treasury.
contract StakingManager is Ownable2Step, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @notice Staking roles.
    enum Role {
        Sequencer,
        AttributionProver,
        DatanetValidator,
        OutputProposer // bonds the L2 output roots proposed to L2OutputOracle
    }

    /// @notice One staker's position in one role.
    struct Position {
        uint256 active; // counts towards the minimum
        uint256 unbonding; // requested out, waiting for `unbondingEnd`
        uint64 unbondingEnd; // when `unbonding` may be withdrawn
    }

    /// @notice Lifecycle of a proposed slash.
    enum SlashStatus {
        None,
        Pending,
        Executed,
        Cancelled
    }

    /// @notice A proposed slash.
    struct Slash {
        address staker;
        Role role;
        SlashStatus status;
        address challenger; // zero: no challenger share
        uint256 amount; // requested; the executed amount is capped by the position
        bytes32 evidenceId;
    }

    /// @notice Basis points in 100%.
    uint256 public constant BPS = 10_000;
    /// @notice Longest unbonding period governance may set.
    uint64 public constant MAX_UNBONDING_PERIOD = 365 days;

    /// @notice The staked token (OPEN).
    IERC20 public immutable token;

    /// @notice Minimum active stake for each role.
    mapping(Role => uint256) public minStake;
    /// @notice Seconds between an unstake request and its withdrawal.
    uint64 public unbondingPeriod;
    /// @notice Receives slashed stake (less the challenger share).
    address public treasury;
    /// @notice Challenger share of a slash, in bps.
    uint16 public challengerBps;
    /// @notice Contracts (e.g. a dispute game) allowed to propose, execute and cancel slashes.
    mapping(address => bool) public isSlasher;

    /// @notice Positions by staker and role.
    mapping(address => mapping(Role => Position)) private _positions;
    /// @notice Pending slashes per staker; withdrawals are frozen while non-zero.
    mapping(address => uint256) public pendingSlashes;
    /// @notice Slashes by id (ids start at 1).
    mapping(uint256 => Slash) public slashes;
    /// @notice Number of slashes proposed so far (the last id).
    uint256 public slashCount;

    /// @notice Sum of every stake ever deposited.
    uint256 public totalDeposited;
    /// @notice Sum of every withdrawal.
    uint256 public totalWithdrawn;
    /// @notice Sum of every executed slash.
    uint256 public totalSlashed;
    /// @notice Tokens currently held for stakers (active + unbonding over all positions).
    uint256 public totalStaked;

    event Staked(address indexed staker, Role indexed role, uint256 amount, uint256 active);
    event UnstakeRequested(
        address indexed staker, Role indexed role, uint256 amount, uint256 unbonding, uint64 unbondingEnd
    );
    event Withdrawn(address indexed staker, Role indexed role, uint256 amount);
    event SlashProposed(
        uint256 indexed slashId,
        address indexed staker,
        Role indexed role,
        uint256 amount,
        bytes32 evidenceId,
        address challenger,
        address proposer
    );
    event SlashExecuted(
        uint256 indexed slashId,
        address indexed staker,
        Role indexed role,
        uint256 slashed,
        uint256 toTreasury,
        uint256 toChallenger
    );
    event SlashCancelled(uint256 indexed slashId, address indexed staker);
    event MinStakeSet(Role indexed role, uint256 amount);
    event UnbondingPeriodSet(uint64 period);
    event TreasurySet(address treasury);
    event ChallengerBpsSet(uint16 bps);
    event SlasherSet(address indexed slasher, bool allowed);

    error ZeroAmount();
    error ZeroAddress();
    error InsufficientStake(uint256 requested, uint256 available);
    error NothingUnbonding();
    error StillUnbonding(uint64 unbondingEnd);
    error SlashPending(address staker);
    error NotSlasher(address caller);
    error SlashNotPending(uint256 slashId);
    error UnbondingPeriodTooLong(uint64 period);
    error BpsTooHigh(uint256 bps);

    modifier onlySlasher() {
        if (msg.sender != owner() && !isSlasher[msg.sender]) revert NotSlasher(msg.sender);
        _;
    }

    /// @param token_ the OPEN token
    /// @param owner_ governance (the timelock)
    /// @param treasury_ receives slashed stake
    /// @param unbondingPeriod_ seconds of unbonding
    /// @param challengerBps_ challenger share of a slash in bps
    constructor(IERC20 token_, address owner_, address treasury_, uint64 unbondingPeriod_, uint16 challengerBps_)
        Ownable(owner_)
    {
        if (address(token_) == address(0)) revert ZeroAddress();
        token = token_;
        _setTreasury(treasury_);
        _setUnbondingPeriod(unbondingPeriod_);
        _setChallengerBps(challengerBps_);
    }

    // ---------------------------------------------------------------- stakers

    /// @notice Stakes `amount` OPEN for `role` (needs an allowance). Adds to the role's active stake.
    function stake(Role role, uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        Position storage p = _positions[msg.sender][role];
        p.active += amount;
        totalDeposited += amount;
        totalStaked += amount;
        emit Staked(msg.sender, role, amount, p.active);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice Moves `amount` of active stake into unbonding; the whole unbonding amount unlocks one unbonding
    /// period from now (a new request restarts the timer).
    function requestUnstake(Role role, uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        Position storage p = _positions[msg.sender][role];
        if (amount > p.active) revert InsufficientStake(amount, p.active);
        p.active -= amount;
        p.unbonding += amount;
        p.unbondingEnd = uint64(block.timestamp) + unbondingPeriod;
        emit UnstakeRequested(msg.sender, role, amount, p.unbonding, p.unbondingEnd);
    }

    /// @notice Withdraws the role's unbonded stake once the period has passed and no slash is pending.
    function withdraw(Role role) external nonReentrant {
        Position storage p = _positions[msg.sender][role];
        uint256 amount = p.unbonding;
        if (amount == 0) revert NothingUnbonding();
        // forge-lint: disable-next-line(block-timestamp) unbonding periods are days long
        if (block.timestamp < p.unbondingEnd) revert StillUnbonding(p.unbondingEnd);
        if (pendingSlashes[msg.sender] != 0) revert SlashPending(msg.sender);
        p.unbonding = 0;
        p.unbondingEnd = 0;
        totalWithdrawn += amount;
        totalStaked -= amount;
        emit Withdrawn(msg.sender, role, amount);
        token.safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------- slashing

    /// @notice Proposes a slash of up to `amount` from `staker`'s `role` position; freezes the staker's withdrawals.
    /// @param evidenceId reference to the evidence (e.g. a dispute id or a hash of the fraud proof)
    /// @param challenger receives the challenger share on execution (zero: all to the treasury)
    /// @return slashId the new slash's id
    function proposeSlash(address staker, Role role, uint256 amount, bytes32 evidenceId, address challenger)
        external
        onlySlasher
        returns (uint256 slashId)
    {
        if (staker == address(0)) revert ZeroAddress();
        if (amount == 0) revert ZeroAmount();
        slashId = ++slashCount;
        slashes[slashId] = Slash({
            staker: staker,
            role: role,
            status: SlashStatus.Pending,
            challenger: challenger,
            amount: amount,
            evidenceId: evidenceId
        });
        pendingSlashes[staker] += 1;
        emit SlashProposed(slashId, staker, role, amount, evidenceId, challenger, msg.sender);
    }

    /// @notice Executes a pending slash: takes from active stake, then unbonding stake, and pays out the split.
    /// @return slashed the amount actually taken (the request capped by the position)
    function executeSlash(uint256 slashId) external onlySlasher nonReentrant returns (uint256 slashed) {
        Slash storage s = slashes[slashId];
        if (s.status != SlashStatus.Pending) revert SlashNotPending(slashId);
        s.status = SlashStatus.Executed;
        pendingSlashes[s.staker] -= 1;

        Position storage p = _positions[s.staker][s.role];
        uint256 want = s.amount;
        uint256 fromActive = want < p.active ? want : p.active;
        p.active -= fromActive;
        uint256 rest = want - fromActive;
        uint256 fromUnbonding = rest < p.unbonding ? rest : p.unbonding;
        p.unbonding -= fromUnbonding;
        slashed = fromActive + fromUnbonding;

        totalSlashed += slashed;
        totalStaked -= slashed;
        uint256 toChallenger = s.challenger == address(0) ? 0 : slashed * challengerBps / BPS;
        uint256 toTreasury = slashed - toChallenger;
        emit SlashExecuted(slashId, s.staker, s.role, slashed, toTreasury, toChallenger);

        if (toTreasury != 0) token.safeTransfer(treasury, toTreasury);
        if (toChallenger != 0) token.safeTransfer(s.challenger, toChallenger);
    }

    /// @notice Cancels a pending slash, lifting its freeze on withdrawals.
    function cancelSlash(uint256 slashId) external onlySlasher {
        Slash storage s = slashes[slashId];
        if (s.status != SlashStatus.Pending) revert SlashNotPending(slashId);
        s.status = SlashStatus.Cancelled;
        pendingSlashes[s.staker] -= 1;
        emit SlashCancelled(slashId, s.staker);
    }

    // ---------------------------------------------------------------- governance

    /// @notice Sets the minimum active stake for `role`.
    function setMinStake(Role role, uint256 amount) external onlyOwner {
        minStake[role] = amount;
        emit MinStakeSet(role, amount);
    }

    /// @notice Sets the unbonding period (at most MAX_UNBONDING_PERIOD); applies to later requests.
    function setUnbondingPeriod(uint64 period) external onlyOwner {
        _setUnbondingPeriod(period);
    }

    /// @notice Sets the treasury that receives slashed stake.
    function setTreasury(address treasury_) external onlyOwner {
        _setTreasury(treasury_);
    }

    /// @notice Sets the challenger share of a slash (bps, at most 10,000).
    function setChallengerBps(uint16 bps) external onlyOwner {
        _setChallengerBps(bps);
    }

    /// @notice Authorizes or revokes a slasher (a dispute contract).
    function setSlasher(address slasher, bool allowed) external onlyOwner {
        if (slasher == address(0)) revert ZeroAddress();
        isSlasher[slasher] = allowed;
        emit SlasherSet(slasher, allowed);
    }

    // ---------------------------------------------------------------- views

    /// @notice Whether `staker` has at least the role's minimum (and a non-zero amount) actively staked for `role`.
    function isActiveStaker(address staker, Role role) external view returns (bool) {
        uint256 active = _positions[staker][role].active;
        return active != 0 && active >= minStake[role];
    }

    /// @notice The position of `staker` in `role`.
    function positionOf(address staker, Role role) external view returns (Position memory) {
        return _positions[staker][role];
    }

    // ---------------------------------------------------------------- internal

    function _setUnbondingPeriod(uint64 period) private {
        if (period > MAX_UNBONDING_PERIOD) revert UnbondingPeriodTooLong(period);
        unbondingPeriod = period;
        emit UnbondingPeriodSet(period);
    }

    function _setTreasury(address treasury_) private {
        if (treasury_ == address(0)) revert ZeroAddress();
        treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    function _setChallengerBps(uint16 bps) private {
        if (bps > BPS) revert BpsTooHigh(bps);
        challengerBps = bps;
        emit ChallengerBpsSet(bps);
    }
}
