// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";

/// @notice What the ModelRegistry needs from the DatanetRegistry.
interface IDatanetVersions {
    /// @notice The root of a published Datanet version (zero if not published).
    function versionRoot(uint256 datanetId, uint64 version) external view returns (bytes32);
}

/// @title ModelRegistry
/// @notice L2 registry of models and LoRA adapters: what base model they extend, the adapter's content hash, the
/// Datanet versions they were trained on (each checked against the DatanetRegistry), the training-config hash, the
/// owner and the price per 1,000 tokens in native OPEN. Models gain versions and can be deactivated by their owner or
/// by governance (the contract owner).
contract ModelRegistry is Ownable2Step {
    /// @notice A full model or a LoRA adapter on a base model.
    enum Kind {
        FullModel,
        LoRA
    }

    /// @notice A Datanet version a model was trained on.
    struct DatanetRef {
        uint256 datanetId;
        uint64 version;
        bytes32 root;
    }

    /// @notice A registered model.
    struct Model {
        address owner;
        Kind kind;
        bool active;
        uint64 versions; // latest version number
        uint128 pricePer1kTokens; // native OPEN (wei)
        string baseModel; // e.g. a hub id of the base model
        string metadataURI;
    }

    /// @notice One version of a model.
    struct ModelVersion {
        bytes32 adapterHash; // content hash of the weights or adapter
        bytes32 trainingConfigHash;
        uint64 registeredAt;
        DatanetRef[] trainedOn;
    }

    /// @notice Most Datanet versions one model version may cite.
    uint256 public constant MAX_DATANET_REFS = 16;
    /// @notice Longest base model id / URI accepted, in bytes.
    uint256 public constant MAX_TEXT = 256;

    /// @notice The DatanetRegistry the training data refs are checked against.
    IDatanetVersions public immutable datanets;
    /// @notice Number of models (the last id; ids start at 1).
    uint256 public modelCount;

    mapping(uint256 => Model) private _models;
    mapping(uint256 => mapping(uint64 => ModelVersion)) private _versions;

    event ModelRegistered(
        uint256 indexed modelId,
        address indexed owner,
        Kind kind,
        string baseModel,
        string metadataURI,
        uint128 pricePer1kTokens
    );
    event ModelVersionAdded(
        uint256 indexed modelId,
        uint64 indexed version,
        bytes32 adapterHash,
        bytes32 trainingConfigHash,
        DatanetRef[] trainedOn
    );
    event ModelPriceSet(uint256 indexed modelId, uint128 pricePer1kTokens);
    event ModelDeactivated(uint256 indexed modelId, address by);
    event ModelOwnershipTransferred(uint256 indexed modelId, address indexed previousOwner, address indexed newOwner);

    error UnknownModel(uint256 modelId);
    error NotModelOwner(uint256 modelId, address caller);
    error ModelInactive(uint256 modelId);
    error ZeroValue();
    error ZeroAddress();
    error TextTooLong();
    error TooManyRefs(uint256 count);
    error UnknownDatanetVersion(uint256 datanetId, uint64 version, bytes32 root);

    /// @param owner_ governance (can deactivate any model)
    /// @param datanets_ the DatanetRegistry
    constructor(address owner_, IDatanetVersions datanets_) Ownable(owner_) {
        if (address(datanets_) == address(0)) revert ZeroAddress();
        datanets = datanets_;
    }

    modifier onlyModelOwner(uint256 modelId) {
        Model storage m = _model(modelId);
        if (m.owner != msg.sender) revert NotModelOwner(modelId, msg.sender);
        _;
    }

    /// @notice Registers a model owned by the caller, with its first version.
    /// @param baseModel id of the base model (for a LoRA adapter) or of the model itself
    /// @param adapterHash content hash of the weights/adapter (non-zero)
    /// @param trainingConfigHash hash of the training configuration
    /// @param trainedOn Datanet versions used for training (at most MAX_DATANET_REFS, each must be published)
    /// @param pricePer1kTokens inference price per 1,000 tokens in native OPEN
    /// @return modelId the new id
    function registerModel(
        Kind kind,
        string calldata baseModel,
        string calldata metadataURI,
        bytes32 adapterHash,
        bytes32 trainingConfigHash,
        DatanetRef[] calldata trainedOn,
        uint128 pricePer1kTokens
    ) external returns (uint256 modelId) {
        if (bytes(baseModel).length == 0) revert ZeroValue();
        if (bytes(baseModel).length > MAX_TEXT || bytes(metadataURI).length > MAX_TEXT) revert TextTooLong();
        modelId = ++modelCount;
        Model storage m = _models[modelId];
        m.owner = msg.sender;
        m.kind = kind;
        m.active = true;
        m.pricePer1kTokens = pricePer1kTokens;
        m.baseModel = baseModel;
        m.metadataURI = metadataURI;
        emit ModelRegistered(modelId, msg.sender, kind, baseModel, metadataURI, pricePer1kTokens);
        _addVersion(modelId, m, adapterHash, trainingConfigHash, trainedOn);
    }

    /// @notice Adds a new version (new weights/adapter) to an active model (model owner only).
    /// @return version the new version number
    function addVersion(
        uint256 modelId,
        bytes32 adapterHash,
        bytes32 trainingConfigHash,
        DatanetRef[] calldata trainedOn
    ) external onlyModelOwner(modelId) returns (uint64 version) {
        Model storage m = _models[modelId];
        if (!m.active) revert ModelInactive(modelId);
        version = _addVersion(modelId, m, adapterHash, trainingConfigHash, trainedOn);
    }

    /// @notice Sets the price per 1,000 tokens (model owner only).
    function setPrice(uint256 modelId, uint128 pricePer1kTokens) external onlyModelOwner(modelId) {
        _models[modelId].pricePer1kTokens = pricePer1kTokens;
        emit ModelPriceSet(modelId, pricePer1kTokens);
    }

    /// @notice Hands a model to a new owner (model owner only).
    function transferModelOwnership(uint256 modelId, address newOwner) external onlyModelOwner(modelId) {
        if (newOwner == address(0)) revert ZeroAddress();
        _models[modelId].owner = newOwner;
        emit ModelOwnershipTransferred(modelId, msg.sender, newOwner);
    }

    /// @notice Deactivates a model for good (its owner or governance).
    function deactivate(uint256 modelId) external {
        Model storage m = _model(modelId);
        if (msg.sender != m.owner && msg.sender != owner()) revert NotModelOwner(modelId, msg.sender);
        if (!m.active) revert ModelInactive(modelId);
        m.active = false;
        emit ModelDeactivated(modelId, msg.sender);
    }

    /// @notice A model by id.
    function getModel(uint256 modelId) external view returns (Model memory) {
        return _model(modelId);
    }

    /// @notice A model version (zero adapter hash if it does not exist).
    function getVersion(uint256 modelId, uint64 version) external view returns (ModelVersion memory) {
        return _versions[modelId][version];
    }

    function _model(uint256 modelId) private view returns (Model storage m) {
        m = _models[modelId];
        if (m.owner == address(0)) revert UnknownModel(modelId);
    }

    function _addVersion(
        uint256 modelId,
        Model storage m,
        bytes32 adapterHash,
        bytes32 trainingConfigHash,
        DatanetRef[] calldata trainedOn
    ) private returns (uint64 version) {
        if (adapterHash == bytes32(0)) revert ZeroValue();
        uint256 n = trainedOn.length;
        if (n > MAX_DATANET_REFS) revert TooManyRefs(n);
        version = ++m.versions;
        ModelVersion storage v = _versions[modelId][version];
        v.adapterHash = adapterHash;
        v.trainingConfigHash = trainingConfigHash;
        v.registeredAt = uint64(block.timestamp);
        for (uint256 i = 0; i < n; ++i) {
            DatanetRef calldata r = trainedOn[i];
            if (r.root == bytes32(0) || datanets.versionRoot(r.datanetId, r.version) != r.root) {
                revert UnknownDatanetVersion(r.datanetId, r.version, r.root);
            }
            v.trainedOn.push(r);
        }
        emit ModelVersionAdded(modelId, version, adapterHash, trainingConfigHash, trainedOn);
    }
}
