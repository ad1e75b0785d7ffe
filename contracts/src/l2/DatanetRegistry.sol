// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// @title DatanetRegistry
/// @notice L2 registry of Datanets: curated data sets whose contributions (content hashes; the content lives
/// off-chain, content-addressed) are submitted for a fee in native OPEN, approved or rejected by the Datanet's owner or
/// curators, and published as versions (Merkle roots over approved contributions). Every change emits an event, so an
/// indexer can rebuild the whole state from logs. Daily limits (per user and per Datanet, in UTC days) are governance
/// parameters set by the contract owner.
contract DatanetRegistry is Ownable2Step, ReentrancyGuard {
    /// @notice What a Datanet holds.
    enum Kind {
        Text,
        Image,
        Audio
    }

    /// @notice Review state of a contribution.
    enum Status {
        None,
        Pending,
        Approved,
        Rejected
    }

    /// @notice A Datanet. Name, metadata URI and license are in storage and in events.
    struct Datanet {
        address owner;
        Kind kind;
        uint128 fee; // native OPEN (wei) per contribution
        uint64 maxFileBytes; // size limit of one contribution
        uint64 contributions; // submitted
        uint64 approved; // approved
        uint64 versions; // published versions (the latest version number)
        uint128 feesAccrued; // withdrawable by the owner
        string name;
        string metadataURI;
        string license;
    }

    /// @notice A contribution (its metadata URI is in the Contributed event only).
    struct Contribution {
        uint256 datanetId;
        address contributor;
        uint64 size;
        uint64 submittedAt;
        Status status;
        bytes32 contentHash;
    }

    /// @notice A published version of a Datanet.
    struct Version {
        bytes32 root; // Merkle root over the approved contributions it includes
        uint64 count; // number of contributions under the root
        uint64 publishedAt;
    }

    /// @notice Per-contributor statistics (per Datanet and overall).
    struct Stats {
        uint64 submitted;
        uint64 approved;
        uint64 rejected;
        uint128 bytesSubmitted;
    }

    struct DayUsage {
        uint64 day;
        uint64 files;
        uint128 bytesUsed;
    }

    /// @notice Longest name / URI / license accepted, in bytes.
    uint256 public constant MAX_TEXT = 256;

    /// @notice Bytes one user may contribute per day, over all Datanets (default 10 MiB).
    uint128 public maxUserBytesPerDay = 10 * 1024 * 1024;
    /// @notice Bytes one Datanet may receive per day (default 10 MiB).
    uint128 public maxDatanetBytesPerDay = 10 * 1024 * 1024;
    /// @notice Files one user may contribute per day, over all Datanets (default 20).
    uint64 public maxUserFilesPerDay = 20;

    /// @notice Number of Datanets (the last id; ids start at 1).
    uint256 public datanetCount;
    /// @notice Number of contributions (the last id; ids start at 1).
    uint256 public contributionCount;

    mapping(uint256 => Datanet) private _datanets;
    mapping(uint256 => Contribution) private _contributions;
    mapping(uint256 => mapping(uint64 => Version)) private _versions;
    /// @notice Curators per Datanet.
    mapping(uint256 => mapping(address => bool)) public isCurator;
    /// @notice Whether a content hash was already submitted to a Datanet.
    mapping(uint256 => mapping(bytes32 => bool)) public hasContent;
    mapping(uint256 => mapping(address => Stats)) private _datanetStats;
    mapping(address => Stats) private _stats;
    mapping(address => DayUsage) private _userDay;
    mapping(uint256 => DayUsage) private _datanetDay;

    event DatanetCreated(
        uint256 indexed datanetId,
        address indexed owner,
        Kind kind,
        string name,
        string metadataURI,
        string license,
        uint128 fee,
        uint64 maxFileBytes
    );
    event DatanetUpdated(uint256 indexed datanetId, string metadataURI, uint128 fee, uint64 maxFileBytes);
    event DatanetOwnershipTransferred(
        uint256 indexed datanetId, address indexed previousOwner, address indexed newOwner
    );
    event CuratorSet(uint256 indexed datanetId, address indexed curator, bool allowed);
    event Contributed(
        uint256 indexed contributionId,
        uint256 indexed datanetId,
        address indexed contributor,
        bytes32 contentHash,
        uint64 size,
        string metadataURI,
        uint128 feePaid
    );
    event ContributionReviewed(
        uint256 indexed contributionId, uint256 indexed datanetId, Status status, address reviewer
    );
    event VersionPublished(uint256 indexed datanetId, uint64 indexed version, bytes32 root, uint64 count);
    event FeesWithdrawn(uint256 indexed datanetId, address indexed to, uint256 amount);
    event LimitsSet(uint128 maxUserBytesPerDay, uint64 maxUserFilesPerDay, uint128 maxDatanetBytesPerDay);

    error UnknownDatanet(uint256 datanetId);
    error UnknownContribution(uint256 contributionId);
    error NotDatanetOwner(uint256 datanetId, address caller);
    error NotCurator(uint256 datanetId, address caller);
    error ZeroAddress();
    error ZeroValue();
    error TextTooLong();
    error EmptyName();
    error WrongFee(uint256 expected, uint256 paid);
    error FileTooLarge(uint64 size, uint64 maxFileBytes);
    error DuplicateContent(bytes32 contentHash);
    error UserDailyBytesExceeded(uint256 wouldUse, uint256 limit);
    error UserDailyFilesExceeded(uint256 limit);
    error DatanetDailyBytesExceeded(uint256 wouldUse, uint256 limit);
    error AlreadyReviewed(uint256 contributionId);
    error BadVersion(uint64 count, uint64 approved);
    error NothingToWithdraw();
    error TransferFailed();

    /// @param owner_ governance or the configured key that owns the parameters
    constructor(address owner_) Ownable(owner_) {}

    modifier onlyDatanetOwner(uint256 datanetId) {
        if (_datanet(datanetId).owner != msg.sender) revert NotDatanetOwner(datanetId, msg.sender);
        _;
    }

    modifier onlyCurator(uint256 datanetId) {
        if (_datanet(datanetId).owner != msg.sender && !isCurator[datanetId][msg.sender]) {
            revert NotCurator(datanetId, msg.sender);
        }
        _;
    }

    // ---------------------------------------------------------------- Datanets

    /// @notice Creates a Datanet owned by the caller.
    /// @param fee contribution fee in native OPEN (wei)
    /// @param maxFileBytes size limit of one contribution (non-zero)
    /// @return datanetId the new id
    function createDatanet(
        string calldata name,
        string calldata metadataURI,
        string calldata license,
        Kind kind,
        uint128 fee,
        uint64 maxFileBytes
    ) external returns (uint256 datanetId) {
        if (bytes(name).length == 0) revert EmptyName();
        if (bytes(name).length > MAX_TEXT || bytes(metadataURI).length > MAX_TEXT || bytes(license).length > MAX_TEXT) {
            revert TextTooLong();
        }
        if (maxFileBytes == 0) revert ZeroValue();
        datanetId = ++datanetCount;
        Datanet storage d = _datanets[datanetId];
        d.owner = msg.sender;
        d.kind = kind;
        d.fee = fee;
        d.maxFileBytes = maxFileBytes;
        d.name = name;
        d.metadataURI = metadataURI;
        d.license = license;
        emit DatanetCreated(datanetId, msg.sender, kind, name, metadataURI, license, fee, maxFileBytes);
    }

    /// @notice Updates a Datanet's metadata URI, fee and file size limit (owner only).
    function updateDatanet(uint256 datanetId, string calldata metadataURI, uint128 fee, uint64 maxFileBytes)
        external
        onlyDatanetOwner(datanetId)
    {
        if (bytes(metadataURI).length > MAX_TEXT) revert TextTooLong();
        if (maxFileBytes == 0) revert ZeroValue();
        Datanet storage d = _datanets[datanetId];
        d.metadataURI = metadataURI;
        d.fee = fee;
        d.maxFileBytes = maxFileBytes;
        emit DatanetUpdated(datanetId, metadataURI, fee, maxFileBytes);
    }

    /// @notice Hands a Datanet (and its unwithdrawn fees) to a new owner.
    function transferDatanetOwnership(uint256 datanetId, address newOwner) external onlyDatanetOwner(datanetId) {
        if (newOwner == address(0)) revert ZeroAddress();
        _datanets[datanetId].owner = newOwner;
        emit DatanetOwnershipTransferred(datanetId, msg.sender, newOwner);
    }

    /// @notice Adds or removes a curator (owner only).
    function setCurator(uint256 datanetId, address curator, bool allowed) external onlyDatanetOwner(datanetId) {
        if (curator == address(0)) revert ZeroAddress();
        isCurator[datanetId][curator] = allowed;
        emit CuratorSet(datanetId, curator, allowed);
    }

    // ---------------------------------------------------------------- contributions

    /// @notice Submits a contribution; `msg.value` must equal the Datanet's fee.
    /// @param contentHash hash of the off-chain content (unique per Datanet)
    /// @param size content size in bytes (counts towards the daily limits)
    /// @return contributionId the new id
    function contribute(uint256 datanetId, bytes32 contentHash, uint64 size, string calldata metadataURI)
        external
        payable
        returns (uint256 contributionId)
    {
        Datanet storage d = _datanet(datanetId);
        if (msg.value != d.fee) revert WrongFee(d.fee, msg.value);
        if (contentHash == bytes32(0) || size == 0) revert ZeroValue();
        if (size > d.maxFileBytes) revert FileTooLarge(size, d.maxFileBytes);
        if (bytes(metadataURI).length > MAX_TEXT) revert TextTooLong();
        if (hasContent[datanetId][contentHash]) revert DuplicateContent(contentHash);
        _useDailyLimits(datanetId, size);

        hasContent[datanetId][contentHash] = true;
        contributionId = ++contributionCount;
        _contributions[contributionId] = Contribution({
            datanetId: datanetId,
            contributor: msg.sender,
            size: size,
            submittedAt: uint64(block.timestamp),
            status: Status.Pending,
            contentHash: contentHash
        });
        d.contributions += 1;
        d.feesAccrued += uint128(msg.value);
        _bump(_datanetStats[datanetId][msg.sender], size);
        _bump(_stats[msg.sender], size);
        emit Contributed(contributionId, datanetId, msg.sender, contentHash, size, metadataURI, uint128(msg.value));
    }

    /// @notice Approves or rejects a pending contribution (Datanet owner or curator).
    function review(uint256 contributionId, bool approve) external {
        Contribution storage c = _contributions[contributionId];
        if (c.status == Status.None) revert UnknownContribution(contributionId);
        uint256 datanetId = c.datanetId;
        Datanet storage d = _datanets[datanetId];
        if (d.owner != msg.sender && !isCurator[datanetId][msg.sender]) revert NotCurator(datanetId, msg.sender);
        if (c.status != Status.Pending) revert AlreadyReviewed(contributionId);
        Stats storage ds = _datanetStats[datanetId][c.contributor];
        Stats storage gs = _stats[c.contributor];
        if (approve) {
            c.status = Status.Approved;
            d.approved += 1;
            ds.approved += 1;
            gs.approved += 1;
        } else {
            c.status = Status.Rejected;
            ds.rejected += 1;
            gs.rejected += 1;
        }
        emit ContributionReviewed(contributionId, datanetId, c.status, msg.sender);
    }

    /// @notice Publishes the next version of a Datanet: a Merkle root over `count` approved contributions
    /// (Datanet owner or curator). `count` may not exceed the number approved so far.
    /// @return version the new version number (starts at 1)
    function publishVersion(uint256 datanetId, bytes32 root, uint64 count)
        external
        onlyCurator(datanetId)
        returns (uint64 version)
    {
        Datanet storage d = _datanets[datanetId];
        if (root == bytes32(0)) revert ZeroValue();
        if (count == 0 || count > d.approved) revert BadVersion(count, d.approved);
        version = ++d.versions;
        _versions[datanetId][version] = Version({root: root, count: count, publishedAt: uint64(block.timestamp)});
        emit VersionPublished(datanetId, version, root, count);
    }

    /// @notice Sends the Datanet's accrued contribution fees to `to` (owner only; pull pattern).
    function withdrawFees(uint256 datanetId, address payable to) external nonReentrant onlyDatanetOwner(datanetId) {
        if (to == address(0)) revert ZeroAddress();
        uint256 amount = _datanets[datanetId].feesAccrued;
        if (amount == 0) revert NothingToWithdraw();
        _datanets[datanetId].feesAccrued = 0;
        emit FeesWithdrawn(datanetId, to, amount);
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed();
    }

    // ---------------------------------------------------------------- governance

    /// @notice Sets the daily limits (contract owner / governance). All must be non-zero.
    function setLimits(uint128 userBytesPerDay, uint64 userFilesPerDay, uint128 datanetBytesPerDay) external onlyOwner {
        if (userBytesPerDay == 0 || userFilesPerDay == 0 || datanetBytesPerDay == 0) revert ZeroValue();
        maxUserBytesPerDay = userBytesPerDay;
        maxUserFilesPerDay = userFilesPerDay;
        maxDatanetBytesPerDay = datanetBytesPerDay;
        emit LimitsSet(userBytesPerDay, userFilesPerDay, datanetBytesPerDay);
    }

    // ---------------------------------------------------------------- views

    /// @notice A Datanet by id.
    function getDatanet(uint256 datanetId) external view returns (Datanet memory) {
        return _datanet(datanetId);
    }

    /// @notice A contribution by id.
    function getContribution(uint256 contributionId) external view returns (Contribution memory) {
        Contribution storage c = _contributions[contributionId];
        if (c.status == Status.None) revert UnknownContribution(contributionId);
        return c;
    }

    /// @notice A published version (zero root if not published).
    function getVersion(uint256 datanetId, uint64 version) external view returns (Version memory) {
        return _versions[datanetId][version];
    }

    /// @notice The root of a published version (zero if not published); used by the ModelRegistry.
    function versionRoot(uint256 datanetId, uint64 version) external view returns (bytes32) {
        return _versions[datanetId][version].root;
    }

    /// @notice A contributor's statistics in one Datanet.
    function contributorStats(uint256 datanetId, address contributor) external view returns (Stats memory) {
        return _datanetStats[datanetId][contributor];
    }

    /// @notice A contributor's statistics over all Datanets.
    function contributorStats(address contributor) external view returns (Stats memory) {
        return _stats[contributor];
    }

    /// @notice What `user` has used today: (files, bytes).
    function userUsageToday(address user) external view returns (uint64 files, uint128 bytesUsed) {
        DayUsage storage u = _userDay[user];
        if (u.day == _today()) return (u.files, u.bytesUsed);
    }

    /// @notice Bytes a Datanet has received today.
    function datanetUsageToday(uint256 datanetId) external view returns (uint128 bytesUsed) {
        DayUsage storage u = _datanetDay[datanetId];
        if (u.day == _today()) return u.bytesUsed;
    }

    // ---------------------------------------------------------------- internal

    function _datanet(uint256 datanetId) private view returns (Datanet storage d) {
        d = _datanets[datanetId];
        if (d.owner == address(0)) revert UnknownDatanet(datanetId);
    }

    function _today() private view returns (uint64) {
        return uint64(block.timestamp / 1 days);
    }

    function _useDailyLimits(uint256 datanetId, uint64 size) private {
        uint64 today = _today();
        DayUsage storage u = _userDay[msg.sender];
        if (u.day != today) {
            u.day = today;
            u.files = 0;
            u.bytesUsed = 0;
        }
        if (u.files + 1 > maxUserFilesPerDay) revert UserDailyFilesExceeded(maxUserFilesPerDay);
        uint128 userBytes = u.bytesUsed + size;
        if (userBytes > maxUserBytesPerDay) revert UserDailyBytesExceeded(userBytes, maxUserBytesPerDay);
        DayUsage storage n = _datanetDay[datanetId];
        if (n.day != today) {
            n.day = today;
            n.files = 0;
            n.bytesUsed = 0;
        }
        uint128 netBytes = n.bytesUsed + size;
        if (netBytes > maxDatanetBytesPerDay) revert DatanetDailyBytesExceeded(netBytes, maxDatanetBytesPerDay);
        u.files += 1;
        u.bytesUsed = userBytes;
        n.files += 1;
        n.bytesUsed = netBytes;
    }

    function _bump(Stats storage s, uint64 size) private {
        s.submitted += 1;
        s.bytesSubmitted += size;
    }
}
