// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @title AttributionRewards
/// @notice Settles Proof-of-Attribution rewards on L2, in native OPEN. Inference fees are deposited per epoch. The
/// poster (POSTER_ROLE, the sequencer/prover) posts the epoch's Merkle root over (account, amount) leaves, in
/// OpenZeppelin StandardMerkleTree format, with the root's total; the total may not exceed the epoch's distributable
/// fees (the fees less the protocol share). During the challenge window governance (DEFAULT_ADMIN_ROLE) may replace
/// the root; after it, accounts claim with proofs, once per epoch, and the rest of the epoch's fees (protocol share
/// and anything unallocated) can be released to the treasury.
/// @dev The fee split (data contributors, model owners, stakers, protocol) is published here as governance parameters
/// the prover applies off-chain when building the root; the contract enforces the protocol share.
contract AttributionRewards is AccessControl, ReentrancyGuard {
    /// @notice May post epoch roots.
    bytes32 public constant POSTER_ROLE = keccak256("POSTER_ROLE");
    /// @notice Basis points in 100%.
    uint16 public constant BPS = 10_000;
    /// @notice Longest challenge window governance may set.
    uint64 public constant MAX_CHALLENGE_WINDOW = 30 days;

    /// @notice The fee split in bps; sums to 10,000.
    struct Split {
        uint16 contributors;
        uint16 modelOwners;
        uint16 stakers;
        uint16 protocol;
    }

    /// @notice One epoch's accounting.
    struct Epoch {
        uint128 fees; // deposited inference fees
        uint128 distributable; // fees less the protocol share, fixed when the root is posted
        uint128 total; // sum of the root's leaves
        uint128 claimed; // claimed so far
        bytes32 root;
        uint64 postedAt; // when the current root was posted (0: not posted)
        uint64 claimableAt; // end of the challenge window: claims open
        bool protocolReleased;
    }

    /// @notice The current fee split.
    Split public split;
    /// @notice Seconds after a post (or replacement) before claims open.
    uint64 public challengeWindow;
    /// @notice Receives the protocol share and unallocated fees.
    address public treasury;

    mapping(uint256 => Epoch) private _epochs;
    mapping(uint256 => mapping(address => bool)) private _claimed;

    event FeesDeposited(uint256 indexed epoch, address indexed from, uint256 amount, uint256 epochFees);
    event RootPosted(uint256 indexed epoch, bytes32 root, uint256 total, uint256 distributable, address poster);
    event RootReplaced(uint256 indexed epoch, bytes32 oldRoot, bytes32 newRoot, uint256 newTotal);
    event Claimed(uint256 indexed epoch, address indexed account, uint256 amount);
    event ProtocolShareReleased(uint256 indexed epoch, address indexed treasury, uint256 amount);
    event SplitSet(uint16 contributors, uint16 modelOwners, uint16 stakers, uint16 protocol);
    event ChallengeWindowSet(uint64 window);
    event TreasurySet(address treasury);

    error ZeroValue();
    error ZeroAddress();
    error SplitNotFull(uint256 sumBps);
    error WindowTooLong(uint64 window);
    error EpochPosted(uint256 epoch);
    error EpochNotPosted(uint256 epoch);
    error NoFees(uint256 epoch);
    error TotalExceedsDistributable(uint256 total, uint256 distributable);
    error ChallengeWindowOver(uint256 epoch);
    error ChallengeWindowOpen(uint256 epoch, uint256 endsAt);
    error AlreadyClaimed(uint256 epoch, address account);
    error InvalidProof();
    error ClaimsExceedTotal(uint256 epoch);
    error AlreadyReleased(uint256 epoch);
    error TransferFailed();

    /// @param admin governance (DEFAULT_ADMIN_ROLE: parameters, disputes, roles)
    /// @param poster initial holder of POSTER_ROLE (zero: none)
    /// @param treasury_ receives the protocol share
    /// @param challengeWindow_ seconds between a post and the first claim
    /// @param split_ the initial fee split (must sum to 10,000 bps)
    constructor(address admin, address poster, address treasury_, uint64 challengeWindow_, Split memory split_) {
        if (admin == address(0)) revert ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        if (poster != address(0)) _grantRole(POSTER_ROLE, poster);
        _setTreasury(treasury_);
        _setChallengeWindow(challengeWindow_);
        _setSplit(split_);
    }

    // ---------------------------------------------------------------- fees and roots

    /// @notice Deposits inference fees (msg.value) for `epoch`, which must not have a root yet.
    function depositFees(uint256 epoch) external payable {
        if (msg.value == 0) revert ZeroValue();
        Epoch storage e = _epochs[epoch];
        if (e.postedAt != 0) revert EpochPosted(epoch);
        e.fees += uint128(msg.value);
        emit FeesDeposited(epoch, msg.sender, msg.value, e.fees);
    }

    /// @notice Posts `epoch`'s reward root (poster only). Closes the epoch to deposits and starts the challenge window.
    /// @param total sum of the leaves; at most the epoch's fees less the protocol share
    function postRoot(uint256 epoch, bytes32 root, uint128 total) external onlyRole(POSTER_ROLE) {
        Epoch storage e = _epochs[epoch];
        if (e.postedAt != 0) revert EpochPosted(epoch);
        if (e.fees == 0) revert NoFees(epoch);
        if (root == bytes32(0)) revert ZeroValue();
        uint128 distributable = uint128(uint256(e.fees) * (BPS - split.protocol) / BPS);
        if (total > distributable) revert TotalExceedsDistributable(total, distributable);
        e.distributable = distributable;
        e.root = root;
        e.total = total;
        e.postedAt = uint64(block.timestamp);
        e.claimableAt = uint64(block.timestamp) + challengeWindow;
        emit RootPosted(epoch, root, total, distributable, msg.sender);
    }

    /// @notice Replaces a disputed root during its challenge window (governance only); restarts the window.
    function replaceRoot(uint256 epoch, bytes32 newRoot, uint128 newTotal) external onlyRole(DEFAULT_ADMIN_ROLE) {
        Epoch storage e = _epochs[epoch];
        if (e.postedAt == 0) revert EpochNotPosted(epoch);
        // forge-lint: disable-next-line(block-timestamp) windows are hours to days long
        if (block.timestamp >= e.claimableAt) revert ChallengeWindowOver(epoch);
        if (newRoot == bytes32(0)) revert ZeroValue();
        if (newTotal > e.distributable) revert TotalExceedsDistributable(newTotal, e.distributable);
        bytes32 old = e.root;
        e.root = newRoot;
        e.total = newTotal;
        e.postedAt = uint64(block.timestamp);
        e.claimableAt = uint64(block.timestamp) + challengeWindow;
        emit RootReplaced(epoch, old, newRoot, newTotal);
    }

    /// @notice Pays `account` its reward for `epoch` after the challenge window; anyone may submit the claim.
    /// @param proof the StandardMerkleTree proof of leaf keccak256(bytes.concat(keccak256(abi.encode(account, amount))))
    function claim(uint256 epoch, address payable account, uint256 amount, bytes32[] calldata proof)
        external
        nonReentrant
    {
        Epoch storage e = _epochs[epoch];
        _requireFinal(epoch, e);
        if (_claimed[epoch][account]) revert AlreadyClaimed(epoch, account);
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(account, amount))));
        if (!MerkleProof.verifyCalldata(proof, e.root, leaf)) revert InvalidProof();
        uint256 claimedAfter = uint256(e.claimed) + amount;
        if (claimedAfter > e.total) revert ClaimsExceedTotal(epoch);
        _claimed[epoch][account] = true;
        // forge-lint: disable-next-line(unsafe-typecast) claimedAfter <= e.total, a uint128
        e.claimed = uint128(claimedAfter);
        emit Claimed(epoch, account, amount);
        (bool ok,) = account.call{value: amount}("");
        if (!ok) revert TransferFailed();
    }

    /// @notice Sends `epoch`'s fees not allocated to the root (protocol share and remainder) to the treasury, once,
    /// after the challenge window. Anyone may call.
    function releaseProtocolShare(uint256 epoch) external nonReentrant {
        Epoch storage e = _epochs[epoch];
        _requireFinal(epoch, e);
        if (e.protocolReleased) revert AlreadyReleased(epoch);
        e.protocolReleased = true;
        uint256 amount = uint256(e.fees) - e.total;
        address to = treasury;
        emit ProtocolShareReleased(epoch, to, amount);
        if (amount != 0) {
            (bool ok,) = payable(to).call{value: amount}("");
            if (!ok) revert TransferFailed();
        }
    }

    // ---------------------------------------------------------------- governance

    /// @notice Sets the fee split; the four shares must sum to exactly 10,000 bps.
    function setSplit(Split calldata split_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setSplit(split_);
    }

    /// @notice Sets the challenge window (at most MAX_CHALLENGE_WINDOW); applies to later posts and replacements.
    function setChallengeWindow(uint64 window) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setChallengeWindow(window);
    }

    /// @notice Sets the treasury.
    function setTreasury(address treasury_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setTreasury(treasury_);
    }

    // ---------------------------------------------------------------- views

    /// @notice One epoch's accounting.
    function getEpoch(uint256 epoch) external view returns (Epoch memory) {
        return _epochs[epoch];
    }

    /// @notice Whether `account` has claimed for `epoch`.
    function isClaimed(uint256 epoch, address account) external view returns (bool) {
        return _claimed[epoch][account];
    }

    // ---------------------------------------------------------------- internal

    function _requireFinal(uint256 epoch, Epoch storage e) private view {
        if (e.postedAt == 0) revert EpochNotPosted(epoch);
        // forge-lint: disable-next-line(block-timestamp) windows are hours to days long
        if (block.timestamp < e.claimableAt) revert ChallengeWindowOpen(epoch, e.claimableAt);
    }

    function _setSplit(Split memory s) private {
        uint256 sum = uint256(s.contributors) + s.modelOwners + s.stakers + s.protocol;
        if (sum != BPS) revert SplitNotFull(sum);
        split = s;
        emit SplitSet(s.contributors, s.modelOwners, s.stakers, s.protocol);
    }

    function _setChallengeWindow(uint64 window) private {
        if (window > MAX_CHALLENGE_WINDOW) revert WindowTooLong(window);
        challengeWindow = window;
        emit ChallengeWindowSet(window);
    }

    function _setTreasury(address treasury_) private {
        if (treasury_ == address(0)) revert ZeroAddress();
        treasury = treasury_;
        emit TreasurySet(treasury_);
    }
}
